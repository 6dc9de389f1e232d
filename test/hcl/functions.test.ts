/** The function library that job files can call (jobspec2's set). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluate, parseHclExpression, standardFunctions } from "../../lib/hcl";
import { ev } from "./helpers";

describe("functions", () => {
  it("strings", () => {
    expect(ev('upper("nomad")')).toBe("NOMAD");
    expect(ev('lower("NoMaD")')).toBe("nomad");
    expect(ev('format("%s-%03d-%.2f-%q-%t-%v", "a", 7, 3.14159, "x", true, 5)')).toBe('a-007-3.14-"x"-true-5');
    expect(ev('format("%-5s|%5s|%%", "ab", "cd")')).toBe("ab   |   cd|%");
    expect(ev('formatlist("%s=%s", ["a", "b"], "v")')).toEqual(["a=v", "b=v"]);
    expect(ev('join(",", ["a", "b"], ["c"])')).toBe("a,b,c");
    expect(ev('split(",", "a,b,,c")')).toEqual(["a", "b", "", "c"]);
    expect(ev('replace("a-b-c", "-", "+")')).toBe("a+b+c");
    expect(ev('replace("v1.2.3", "/v(\\\\d+)\\\\..*/", "major $1")')).toBe("major 1");
    expect(ev('regex_replace("abc123", "[0-9]+", "#")')).toBe("abc#");
    expect(ev('trimspace("  x \\n")')).toBe("x");
    expect(ev('trim("??x?", "?")')).toBe("x");
    expect(ev('trimprefix("prefix-x", "prefix-")')).toBe("x");
    expect(ev('trimsuffix("x.txt", ".txt")')).toBe("x");
    expect(ev('chomp("line\\n\\n")')).toBe("line");
    expect(ev('substr("hello world", 6, 5)')).toBe("world");
    expect(ev('substr("hello", -3, -1)')).toBe("llo");
    expect(ev('strlen("héllo")')).toBe(5);
    expect(ev('strrev("abc")')).toBe("cba");
    expect(ev('title("hello big world")')).toBe("Hello Big World");
    expect(ev('indent(2, "a\\nb")')).toBe("a\n  b");
  });

  it("numbers", () => {
    expect(ev("abs(-3)")).toBe(3);
    expect(ev("ceil(1.2)")).toBe(2);
    expect(ev("floor(1.8)")).toBe(1);
    expect(ev("min(3, 1, 2)")).toBe(1);
    expect(ev("max(3, 1, 2)")).toBe(3);
    expect(ev("pow(2, 10)")).toBe(1024);
    expect(ev("signum(-5)")).toBe(-1);
    expect(ev('parseint("ff", 16)')).toBe(255);
    expect(ev("log(8, 2)")).toBe(3);
  });

  it("collections", () => {
    expect(ev("concat([1], [2, 3])")).toEqual([1, 2, 3]);
    expect(ev("merge({a = 1, b = 1}, {b = 2})")).toEqual({ a: 1, b: 2 });
    expect(ev('length("abc") + length([1, 2]) + length({a = 1})')).toBe(6);
    expect(ev('lookup({a = "x"}, "a", "d")')).toBe("x");
    expect(ev('lookup({a = "x"}, "b", "d")')).toBe("d");
    expect(ev('coalesce("", null, "first")')).toBe("first");
    expect(ev('toset(["b", "a", "b"])')).toEqual(["b", "a"]);
    expect(ev("range(3)")).toEqual([0, 1, 2]);
    expect(ev("range(1, 10, 4)")).toEqual([1, 5, 9]);
    expect(ev("range(3, 0)")).toEqual([3, 2, 1]);
    expect(ev("keys({b = 1, a = 2})")).toEqual(["a", "b"]);
    expect(ev("values({b = 1, a = 2})")).toEqual([2, 1]);
    expect(ev('element(["a", "b"], 3)')).toBe("b");
    expect(ev('contains(["a", "b"], "b")')).toBe(true);
    expect(ev("distinct([1, 2, 1])")).toEqual([1, 2]);
    expect(ev("flatten([[1, [2]], 3])")).toEqual([1, 2, 3]);
    expect(ev("reverse([1, 2])")).toEqual([2, 1]);
    expect(ev("slice([1, 2, 3, 4], 1, 3)")).toEqual([2, 3]);
    expect(ev('sort(["b", "a"])')).toEqual(["a", "b"]);
    expect(ev('zipmap(["a", "b"], [1, 2])')).toEqual({ a: 1, b: 2 });
    expect(ev("chunklist([1, 2, 3], 2)")).toEqual([[1, 2], [3]]);
    expect(ev('compact(["a", "", null, "b"])')).toEqual(["a", "b"]);
    expect(ev('index(["a", "b"], "b")')).toBe(1);
    expect(ev("setunion([1, 2], [2, 3])")).toEqual([1, 2, 3]);
    expect(ev("setintersection([1, 2], [2, 3])")).toEqual([2]);
    expect(ev('setproduct([1, 2], ["a"])')).toEqual([
      [1, "a"],
      [2, "a"],
    ]);
    expect(ev("coalescelist([], [1])")).toEqual([1]);
  });

  it("encoding, hashing and types", () => {
    expect(ev('jsonencode({a = [1, true, "x"]})')).toBe('{"a":[1,true,"x"]}');
    expect(ev('jsondecode("{\\"a\\": [1, 2]}").a[1]')).toBe(2);
    expect(ev('base64decode(base64encode("hi"))')).toBe("hi");
    expect(ev('urlencode("a b&c")')).toBe("a+b%26c");
    expect(ev('sha256("abc")')).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(ev('csvdecode("a,b\\n1,2\\n")')).toEqual([{ a: "1", b: "2" }]);
    const yaml = [
      "# settings",
      "name: web",
      "count: 3",
      'tags: [a, "b c"]',
      "servers:",
      "- host: a",
      "  port: 1",
      "- host: b",
      "  port: 2",
      "script: |",
      "  echo hi",
      "  exit 0",
      "none: ~",
      "quoted: 'it''s'",
    ].join("\n");
    expect(ev("yamldecode(y)", { y: yaml })).toEqual({
      name: "web",
      count: 3,
      tags: ["a", "b c"],
      servers: [
        { host: "a", port: 1 },
        { host: "b", port: 2 },
      ],
      script: "echo hi\nexit 0\n",
      none: null,
      quoted: "it's",
    });
    expect(ev("yamldecode(y)", { y: "- 1\n- - 2\n  - 3\n" })).toEqual([1, [2, 3]]);
    expect(() => ev("yamldecode(y)", { y: "a: &anchor 1" })).toThrow(/invalid YAML: line 1: anchors, aliases and tags are not supported/);
    expect(ev("yamldecode(yamlencode(v))", { v: { a: [1, "x", { b: true }], c: null } })).toEqual({ a: [1, "x", { b: true }], c: null });
    expect(ev("tostring(5)")).toBe("5");
    expect(ev('tonumber("5.5")')).toBe(5.5);
    expect(ev('tobool("true")')).toBe(true);
    expect(ev('try(nope.x, "fallback")')).toBe("fallback");
    expect(ev("can(nope.x)")).toBe(false);
    expect(ev("can(1 + 1)")).toBe(true);
    expect(ev('convert([1, "2"], list(number))')).toEqual([1, 2]);
    expect(ev("convert({a = 1}, map(string))")).toEqual({ a: "1" });
    expect(() => ev('convert("x", number)')).toThrow(/Call to convert\(\): a number is required/);
  });

  it("network, time and id functions (values as the HCL function docs give them)", () => {
    expect(ev('cidrhost("10.12.112.0/20", 268)')).toBe("10.12.113.12");
    expect(ev('cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)')).toBe("fd00:fd12:3456:7890::22");
    expect(ev('cidrnetmask("172.16.0.0/12")')).toBe("255.240.0.0");
    expect(ev('cidrsubnet("172.16.0.0/12", 4, 2)')).toBe("172.18.0.0/16");
    expect(ev('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)')).toBe("fd00:fd12:3456:7800:a200::/72");
    expect(ev('cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)')).toEqual(["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]);
    expect(() => ev('cidrsubnet("10.0.0.0/30", 4, 0)')).toThrow(/insufficient address space/);
    expect(ev('formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")')).toBe("Tuesday, 02-Jan-18 23:12:01 UTC");
    expect(ev('formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")')).toBe("Tue, 02 Jan 2018 23:12:01 -0800");
    expect(ev("formatdate(\"HH:mmaa 'o''clock'\", \"2018-01-02T23:12:01Z\")")).toBe("11:12pm o'clock");
    expect(ev('timeadd("2017-11-22T00:00:00Z", "10m")')).toBe("2017-11-22T00:10:00Z");
    expect(ev('timeadd("2017-11-22T00:00:00+01:00", "-1h30m")')).toBe("2017-11-21T22:30:00+01:00");
    expect(() => ev('timeadd("yesterday", "1h")')).toThrow(/not a valid RFC3339 timestamp/);
    expect(ev('uuidv5("dns", "www.terraform.io")')).toBe("a5008fae-b28c-5ba5-96cd-82b4c53552d6");
    expect(ev("uuidv4()")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("reports bad arguments with the function's name and the argument's position", () => {
    expect(() => ev('lookup({a = 1}, "b")')).toThrow(
      /expr\.hcl:1:17: Invalid function argument; Call to lookup\(\): the given key "b" is not in the map/,
    );
    expect(() => ev("element([], 0)")).toThrow(/cannot use element function with an empty list/);
    expect(() => ev('tonumber("x")')).toThrow(/a number is required/);
    expect(() => ev('jsondecode("{")')).toThrow(/invalid JSON/);
  });

  it("file() reads relative to the base directory, and can be disabled", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-hcl-"));
    try {
      fs.writeFileSync(path.join(dir, "tmpl.txt"), "hello {{ .x }}\n");
      const expr = parseHclExpression('file("tmpl.txt")', "job.hcl").expr!;
      expect(evaluate(expr, { variables: {}, functions: standardFunctions({ baseDir: dir, allowFs: true }) })).toBe("hello {{ .x }}\n");
      const exists = parseHclExpression('fileexists("nope.txt")', "job.hcl").expr!;
      expect(evaluate(exists, { variables: {}, functions: standardFunctions({ baseDir: dir, allowFs: true }) })).toBe(false);
      expect(() => evaluate(expr, { variables: {}, functions: standardFunctions({ baseDir: dir, allowFs: false }) })).toThrow(
        /filesystem function disabled/,
      );
      fs.mkdirSync(path.join(dir, "conf", "sub"), { recursive: true });
      fs.writeFileSync(path.join(dir, "conf", "a.conf"), "");
      fs.writeFileSync(path.join(dir, "conf", "sub", "b.conf"), "");
      fs.writeFileSync(path.join(dir, "conf", "c.txt"), "");
      const fileset = (pattern: string) =>
        evaluate(parseHclExpression(`fileset("conf", "${pattern}")`, "job.hcl").expr!, {
          variables: {},
          functions: standardFunctions({ baseDir: dir, allowFs: true }),
        });
      expect(fileset("*.conf")).toEqual(["a.conf"]);
      expect(fileset("**/*.conf")).toEqual(["a.conf", "sub/b.conf"]);
      expect(fileset("{a.conf,c.txt}")).toEqual(["a.conf", "c.txt"]);
      const missing = parseHclExpression('file("nope.txt")', "job.hcl").expr!;
      expect(() => evaluate(missing, { variables: {}, functions: standardFunctions({ baseDir: dir, allowFs: true }) })).toThrow(
        /no file exists at nope\.txt/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
