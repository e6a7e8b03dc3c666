import { describe, expect, it } from "vitest";
import { CsvParseError, parseCsv } from "./parse-csv.js";

describe("parseCsv", () => {
  it("splits plain records on commas and LF or CRLF", () => {
    expect(parseCsv("a,b,c\n1,2,3\r\n4,5,6")).toEqual([["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]);
  });

  it("keeps commas, line breaks and doubled quotes inside quoted fields", () => {
    const text = 'prompt,ok\n"He said ""hi"", then\nleft, quickly\r\nA. 8",True\n';
    expect(parseCsv(text)).toEqual([["prompt", "ok"], ['He said "hi", then\nleft, quickly\r\nA. 8', "True"]]);
  });

  it("keeps empty fields, an empty quoted field and a trailing empty field", () => {
    expect(parseCsv('a,,"",\n')).toEqual([["a", "", "", ""]]);
  });

  it("ignores a byte-order mark and a missing or present final line break alike", () => {
    expect(parseCsv("\ufeffx,y\n1,2")).toEqual(parseCsv("x,y\n1,2\n"));
  });

  it("reads a quoted field that ends the text", () => {
    expect(parseCsv('a,"b\nc"')).toEqual([["a", "b\nc"]]);
  });

  it("refuses an unclosed quote, naming the line where the field opens", () => {
    const error = (() => {
      try {
        parseCsv('a,b\n1,"never\nclosed');
      } catch (e) {
        return e;
      }
    })();
    expect(CsvParseError.isInstance(error)).toBe(true);
    expect((error as CsvParseError).line).toBe(2);
  });

  it("refuses text after a closing quote and a quote inside an unquoted field", () => {
    expect(() => parseCsv('"a"b,c')).toThrow(/after the closing quote/);
    expect(() => parseCsv("a,b\"c\n")).toThrow(/line 1: a quote inside an unquoted field/);
  });

  it("counts lines across quoted line breaks for later errors", () => {
    expect(() => parseCsv('"x\ny\nz",1\nbad"field')).toThrow(/line 4/);
  });
});
