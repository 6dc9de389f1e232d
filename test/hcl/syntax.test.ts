/** HCL2 native syntax: structure, expressions, templates, heredocs, and error positions. */
import { parseHcl } from "../../lib/hcl";
import { ev, evAttr, syntaxError } from "./helpers";

describe("structure", () => {
  it("reads attributes, blocks with labels, one-line blocks and all three comment styles", () => {
    const src = [
      "# hash comment",
      "// slash comment",
      "a = 1 /* inline */",
      'job "x" "y" {',
      "  inner { b = true }",
      "  empty {}",
      "  ident_label other {",
      '    c = "s"',
      "  }",
      "}",
      "/* block",
      "   comment */",
    ].join("\n");
    const r = parseHcl(src, "f.hcl");
    expect(r.diagnostics).toEqual([]);
    expect(r.body.attributes.map((a) => a.name)).toEqual(["a"]);
    const job = r.body.blocks[0];
    expect(job.type).toBe("job");
    expect(job.labels).toEqual(["x", "y"]);
    expect(job.body.blocks.map((b) => [b.type, b.labels])).toEqual([
      ["inner", []],
      ["empty", []],
      ["ident_label", ["other"]],
    ]);
    expect(job.body.blocks[0].body.attributes[0].name).toBe("b");
    expect(job.range.start).toMatchObject({ line: 4, column: 1 });
    expect(job.body.blocks[2].body.attributes[0].nameRange.start).toMatchObject({ line: 8, column: 5 });
  });

  it("reads CRLF line endings and a byte order mark", () => {
    const r = parseHcl('\uFEFFa = 1\r\nb = <<EOF\r\nx\r\nEOF\r\nblk "l" {\r\n  c = "d"\r\n}\r\n', "crlf.hcl");
    expect(r.diagnostics).toEqual([]);
    expect(r.body.attributes.map((a) => a.name)).toEqual(["a", "b"]);
    expect(r.body.blocks[0].body.attributes[0].nameRange.start).toMatchObject({ line: 6, column: 3 });
  });

  it("allows dashes in identifiers, as HCL does", () => {
    expect(ev("attr.unique.network.ip-address", { attr: { unique: { network: { "ip-address": "10.0.0.1" } } } })).toBe("10.0.0.1");
  });
});

describe("expressions", () => {
  it("evaluates literals, numbers and string escapes", () => {
    expect(ev("42")).toBe(42);
    expect(ev("3.25")).toBe(3.25);
    expect(ev("1e3")).toBe(1000);
    expect(ev("true")).toBe(true);
    expect(ev("null")).toBeNull();
    expect(ev('"a\\tb\\n\\"q\\" \\\\ \\u00e9 \\U0001F600"')).toBe('a\tb\n"q" \\ é 😀');
    expect(ev('"literal $${x} and %%{y}"')).toBe("literal ${x} and %{y}");
  });

  it("applies operator precedence and the conditional operator", () => {
    expect(ev("1 + 2 * 3")).toBe(7);
    expect(ev("(1 + 2) * 3")).toBe(9);
    expect(ev("10 % 4 - 7 / 2")).toBe(-1.5);
    expect(ev("-3 + 1")).toBe(-2);
    expect(ev("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 == false")).toBe(true);
    expect(ev("!true || false")).toBe(false);
    expect(ev('"1" + 2')).toBe(3);
    expect(ev("[1, {a = 2}] == [1, {a = 2}]")).toBe(true);
    expect(ev("1 != 1")).toBe(false);
    expect(ev('x > 1 ? "big" : "small"', { x: 5 })).toBe("big");
    expect(ev('x > 1 ? "big" : "small"', { x: 0 })).toBe("small");
  });

  it("builds tuples and objects (identifier, quoted and computed keys; = and : separators)", () => {
    expect(ev('[1, "two", [3], ]')).toEqual([1, "two", [3]]);
    expect(ev('{ a = 1, "b c" = 2, (k) = 3, d: 4 }', { k: "kk" })).toEqual({ a: 1, "b c": 2, kk: 3, d: 4 });
    expect(evAttr("a = {\n  x = 1\n  y = [\n    2,\n    3,\n  ]\n}\n")).toEqual({ x: 1, y: [2, 3] });
  });

  it("indexes, reads attributes, and splats", () => {
    const vars = {
      l: [
        { n: "a", v: [1] },
        { n: "b", v: [2] },
      ],
      m: { k: "v", "with-dash": 1 },
    };
    expect(ev("l[1].n", vars)).toBe("b");
    expect(ev("l.0.n", vars)).toBe("a");
    expect(ev("m.0.1", { m: [[1, 2]] })).toBe(2);
    expect(ev('m["k"]', vars)).toBe("v");
    expect(ev("m.with-dash", vars)).toBe(1);
    expect(ev("l[*].n", vars)).toEqual(["a", "b"]);
    expect(ev("l.*.n", vars)).toEqual(["a", "b"]);
    expect(ev("l[*].v[0]", vars)).toEqual([1, 2]);
    expect(ev("l[length(l) - 1].n", vars)).toBe("b");
  });

  it("evaluates for expressions over lists and maps, with filters and grouping", () => {
    expect(ev("[for x in [1, 2, 3] : x * 2]")).toEqual([2, 4, 6]);
    expect(ev('[for i, x in ["a", "b"] : "${i}=${x}"]')).toEqual(["0=a", "1=b"]);
    expect(ev("[for k, v in {b = 2, a = 1} : k]")).toEqual(["a", "b"]);
    expect(ev("{for x in [1, 2, 3, 4] : tostring(x) => x * x if x % 2 == 0}")).toEqual({ "2": 4, "4": 16 });
    expect(ev('{for s in ["aa", "ab", "b"] : substr(s, 0, 1) => s...}')).toEqual({ a: ["aa", "ab"], b: ["b"] });
  });

  it("calls functions, also with an expanded final argument", () => {
    expect(ev('upper("abc")')).toBe("ABC");
    expect(ev("max(1, 5, 3)")).toBe(5);
    expect(ev("max([4, 9, 2]...)")).toBe(9);
    expect(ev("min(\n  3,\n  1,\n)")).toBe(1);
  });
});

describe("templates", () => {
  it("interpolates, and a lone interpolation keeps its value's type", () => {
    expect(ev('"Hello, ${name}!"', { name: "World" })).toBe("Hello, World!");
    expect(ev('"${n}"', { n: 3 })).toBe(3);
    expect(ev('"n=${n} b=${b}"', { n: 1.5, b: true })).toBe("n=1.5 b=true");
    expect(ev('"${ "nested ${x}" }"', { x: "y" })).toBe("nested y");
  });

  it("runs if/else/endif and for/endfor directives, with strip markers", () => {
    expect(ev('"%{ if x }yes%{ else }no%{ endif }"', { x: true })).toBe("yes");
    expect(ev('"%{ if x }yes%{ else }no%{ endif }"', { x: false })).toBe("no");
    expect(ev('"%{ if x }only%{ endif }."', { x: false })).toBe(".");
    expect(ev('"%{ for v in l }[${v}]%{ endfor }"', { l: ["a", "b"] })).toBe("[a][b]");
    expect(ev('"%{ for k, v in m }${k}=${v};%{ endfor }"', { m: { b: 2, a: 1 } })).toBe("a=1;b=2;");
    expect(ev('"a   ${~ "b" ~}   c"')).toBe("abc");
  });

  it("reads heredocs, and <<- removes the common indentation", () => {
    expect(evAttr("a = <<EOF\nline 1\n  line 2 ${x}\nEOF\n", "a", { x: "!" })).toBe("line 1\n  line 2 !\n");
    expect(evAttr("a = <<-EOT\n    one\n      two\n    EOT\n")).toBe("one\n  two\n");
    expect(evAttr("a = <<EOF\n%{ for i in [1, 2] ~}\nn${i}\n%{ endfor ~}\nEOF\n")).toBe("n1\nn2\n");
    expect(evAttr('a = <<EOF\nno ${ "}" } escapes \\n here\nEOF\nb = 1\n')).toBe("no } escapes \\n here\n");
  });
});

describe("syntax errors carry file, line and column", () => {
  it.each([
    ['a = "unterminated\n', "bad.hcl:1:18 Unterminated template string"],
    ["a = 1\nb = \n", "bad.hcl:2:5 Invalid expression"],
    ['job "x" {\n  a = 1\n', "bad.hcl:1:9 Unclosed configuration block"],
    ["a = 1 2\n", "bad.hcl:1:7 Missing newline after argument"],
    ["a = 1\na = 2\n", "bad.hcl:2:1 Attribute redefined"],
    ['"quoted" = 1\n', "bad.hcl:1:1 Argument or block definition required"],
    ["a = [1, 2\n", "bad.hcl:2:1 Missing item separator"],
    ["a = {x = 1 y = 2}\n", "bad.hcl:1:12 Missing attribute separator"],
    ['a = "\\q"\n', "bad.hcl:1:6 Invalid escape sequence"],
    ["a = f(1 2)\n", "bad.hcl:1:9 Missing argument separator"],
    ['a = "${x"\n', "bad.hcl:1:9 Extra characters after interpolation expression"],
    ['a = "%{ if x }y"\n', "bad.hcl:1:16 Unterminated template directive"],
    ['a = "%{ endif }"\n', "bad.hcl:1:9 Unexpected template directive"],
    ["a = <<EOF\nnever closed\n", "bad.hcl:1:5 Unterminated template string"],
    ["a = 1 /* open\n", "bad.hcl:1:7 Unterminated comment"],
    ["a = 1 @\n", "bad.hcl:1:7 Invalid character"],
    ["blk x = 1\n", "bad.hcl:1:7 Missing block opening brace"],
  ])("%j → %s", (src, want) => {
    expect(syntaxError(src)).toBe(want);
  });

  it("reports evaluation errors at the expression, never as a bare throw", () => {
    const cases: [string, RegExp][] = [
      ["nope", /Unknown variable/],
      ["m.missing", /Unsupported attribute/],
      ["l[5]", /Invalid index/],
      ['1 + "x"', /Invalid operand/],
      ["1 / 0", /Zero divisor/],
      ["nosuch(1)", /Call to unknown function/],
      ["upper()", /Not enough function arguments/],
      ['"x${l}"', /Invalid template interpolation value/],
      ["[for x in 5 : x]", /Iteration over non-iterable value/],
    ];
    for (const [src, re] of cases) expect(() => ev(src, { m: {}, l: [1] })).toThrow(re);
    try {
      ev("1 +\n  m.missing", { m: {} });
      throw new Error("expected a diagnostic");
    } catch (err) {
      expect((err as Error).message).toMatch(/^expr\.hcl:2:5: Unsupported attribute/);
    }
  });

  it("turns absurd nesting into a diagnostic, not a crash", () => {
    const r = parseHcl("a = " + "[".repeat(20000) + "]".repeat(20000) + "\n", "deep.hcl");
    expect(r.diagnostics.length).toBe(1);
  });
});
