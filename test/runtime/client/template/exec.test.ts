/** Go text/template semantics of drover's template renderer, a case per rule (expected outputs as Go's text/template gives them). */
import { executeTemplate } from "../../../../lib/runtime/client/template/exec";

const data = { Name: "web", Count: 3, Tags: ["a", "b"], Meta: { zone: "z1", env: "prod" }, Empty: "", Nested: { Inner: { V: 7 } } };

describe("text/template", () => {
  test.each([
    ["plain text", "hello", "hello"],
    ["field", "{{ .Name }}", "web"],
    ["nested field", "{{ .Nested.Inner.V }}", "7"],
    ["map key missing", "{{ .Meta.nope }}", "<no value>"],
    ["if/else", "{{ if .Empty }}yes{{ else }}no{{ end }}", "no"],
    ["else if", "{{ if eq .Count 1 }}one{{ else if eq .Count 3 }}three{{ else }}many{{ end }}", "three"],
    ["range slice with index", "{{ range $i, $t := .Tags }}{{ $i }}={{ $t }};{{ end }}", "0=a;1=b;"],
    ["range map sorted", "{{ range $k, $v := .Meta }}{{ $k }}:{{ $v }} {{ end }}", "env:prod zone:z1 "],
    ["range else", "{{ range .Missing }}x{{ else }}none{{ end }}", "none"],
    ["range dot", "{{ range .Tags }}[{{ . }}]{{ end }}", "[a][b]"],
    ["with", "{{ with .Meta }}{{ .zone }}{{ end }}", "z1"],
    ["with else", "{{ with .Empty }}x{{ else }}empty{{ end }}", "empty"],
    ["variables and assignment", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"],
    ["root variable", "{{ range .Tags }}{{ $.Name }}{{ end }}", "webweb"],
    ["pipeline: the previous result is the last argument", '{{ "abc" | printf "%s-%s" "x" }}', "x-abc"],
    ["printf", '{{ printf "%s:%d:%5.2f:%q" "a" 4 3.14159 "q" }}', 'a:4: 3.14:"q"'],
    ["comparison", '{{ lt 1 2 }} {{ ge 2 2 }} {{ ne .Name "x" }} {{ eq .Count 1 2 3 }}', "true true true true"],
    ["and/or return values", '{{ and 1 "" 3 }}|{{ or "" 0 "z" }}|{{ not 0 }}', "|z|true"],
    ["len and index", '{{ len .Tags }} {{ index .Tags 1 }} {{ index .Meta "zone" }}', "2 b z1"],
    ["trim markers", 'a  {{- .Name -}}  b\n{{- "c" }}', "awebbc"],
    ["comment", "x{{/* ignored */}}y {{- /* trimmed */ -}} z", "xyz"],
    ["parenthesized", '{{ (index .Nested "Inner").V }}', "7"],
    ["break and continue", '{{ range .Tags }}{{ if eq . "a" }}{{ continue }}{{ end }}{{ . }}{{ break }}{{ end }}', "b"],
    ["print of slice and map", "{{ .Tags }} {{ .Meta }}", "[a b] map[env:prod zone:z1]"],
    ["range over int", "{{ range $i := 3 }}{{ $i }}{{ end }}", "012"],
    ["raw string", "{{ `a\\nb` }}", "a\\nb"],
  ])("%s", (_name, src, want) => {
    expect(executeTemplate(src, data)).toBe(want);
  });

  test("custom delimiters", () => {
    expect(executeTemplate("[[ .Name ]] {{ not an action }}", data, { left: "[[", right: "]]" })).toBe("web {{ not an action }}");
  });

  test.each([
    ["unclosed action", "{{ .Name", /unclosed action/],
    ["unknown function", "{{ nope 1 }}", /function "nope" not defined/],
    ["missing end", "{{ if true }}x", /unexpected EOF/],
    ["stray end", "{{ end }}", /unexpected \{\{end\}\}/],
    ["undefined variable", "{{ $x }}", /undefined variable: \$x/],
    ["define refused", '{{ define "x" }}{{ end }}', /not supported/],
    ["field of nil", "{{ .Missing.X }}", /nil pointer evaluating/],
  ])("error: %s", (_name, src, re) => {
    expect(() => executeTemplate(src, data)).toThrow(re);
  });

  test("error_on_missing_key", () => {
    expect(() => executeTemplate("{{ .Meta.nope }}", data, { errorOnMissingKey: true })).toThrow(/map has no entry for key "nope"/);
  });
});
