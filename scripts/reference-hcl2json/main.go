// reference-hcl2json: the reference that scripts/corpus-check compares
// `skiff hcl2json` with. It parses one HCL file with hashicorp/hcl v2's
// hclsyntax and evaluates it with hcl and go-cty themselves, in the context
// Nomad's jobspec2 gives a job file: var.* from `variable` blocks (default,
// then -var NAME=VALUE, converted to the declared type), local.*, and the
// go-cty stdlib functions under Nomad's names. It prints the body in skiff's
// hcl2json layout: "name": value per attribute; a block of type T with labels
// L1..Ln appended to the array at obj[T][L1]...[Ln].
//
// A reference whose root is not var, local or a bound iterator is a runtime
// interpolation, kept as "${<source>}", and so is a call to a function this
// program lacks (reported on stderr as "lacks function NAME"). Like skiff,
// a template is rendered part by part, a part that is not known staying as
// its source text; anything else holding such a value becomes unknown whole.
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build (Debian's
// golang-github-hashicorp-hcl-v2-dev).
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// A value known only at run time, carrying the source text it prints as.
type unknown struct{ text string }

var unknownType = cty.Capsule("unknown", reflect.TypeOf(unknown{}))

func unknownOf(text string) cty.Value { return cty.CapsuleVal(unknownType, &unknown{text}) }
func isUnknown(v cty.Value) bool      { return v.Type().Equals(unknownType) }
func hasUnknown(v cty.Value) bool {
	found := false
	cty.Walk(v, func(_ cty.Path, v cty.Value) (bool, error) { found = found || isUnknown(v); return !found, nil })
	return found
}

var functions = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "can": tryfunc.CanFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
	"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
	"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
	"convert": typeexpr.ConvertFunc, "csvdecode": stdlib.CSVDecodeFunc, "distinct": stdlib.DistinctFunc,
	"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "floor": stdlib.FloorFunc, "format": stdlib.FormatFunc,
	"formatdate": stdlib.FormatDateFunc, "formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc,
	"index": stdlib.IndexFunc, "join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc,
	"jsonencode": stdlib.JSONEncodeFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "log": stdlib.LogFunc,
	"lookup": stdlib.LookupFunc, "lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc,
	"min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "range": stdlib.RangeFunc,
	"reverse": stdlib.ReverseFunc, "replace": stdlib.ReplaceFunc, "regex_replace": stdlib.RegexReplaceFunc,
	"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc, "setunion": stdlib.SetUnionFunc,
	"signum": stdlib.SignumFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
	"strlen": stdlib.StrlenFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
	"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
	"trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc, "try": tryfunc.TryFunc,
	"upper": stdlib.UpperFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
}

// Nomad's base64 functions (hashicorp/go-cty-funcs, not in Debian), on strings.
func init() {
	functions["base64encode"] = stringFunc(func(s string) (string, error) {
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	})
	functions["base64decode"] = stringFunc(func(s string) (string, error) {
		b, err := base64.StdEncoding.DecodeString(s)
		if err == nil && !utf8.Valid(b) {
			err = fmt.Errorf("the result of decoding the provided string is not valid UTF-8")
		}
		return string(b), err
	})
}

func stringFunc(f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			return cty.StringVal(s), err
		},
	})
}

type evaluator struct {
	src          []byte
	vars, locals map[string]cty.Value
	diags        hcl.Diagnostics
	lacking      map[string]bool
}

type scope map[string]cty.Value

func (e *evaluator) ctx(s scope) *hcl.EvalContext {
	vars := map[string]cty.Value{"var": cty.ObjectVal(e.vars), "local": cty.ObjectVal(e.locals)}
	for k, v := range s {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions}
}

func (e *evaluator) text(r hcl.Range) string { return string(e.src[r.Start.Byte:r.End.Byte]) }

// The source of a template part with its "${" and "}" (and any "~"), as skiff keeps it.
func (e *evaluator) interpolation(r hcl.Range) string {
	start, end := r.Start.Byte, r.End.Byte
	for start > 0 && strings.ContainsRune(" \t\r\n~", rune(e.src[start-1])) {
		start--
	}
	for end < len(e.src) && strings.ContainsRune(" \t\r\n~", rune(e.src[end])) {
		end++
	}
	if start >= 2 && string(e.src[start-2:start]) == "${" && end < len(e.src) && e.src[end] == '}' {
		return string(e.src[start-2 : end+1])
	}
	return e.text(r)
}

// Whether hcl can evaluate expr as it stands: every reference resolves to a
// value without runtime parts and every function called exists.
func (e *evaluator) clean(expr hclsyntax.Expression, s scope) bool {
	ok, types := true, []hcl.Range{}
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, isCall := n.(*hclsyntax.FunctionCallExpr); isCall && !known(call.Name) {
			ok = false
		} else if isCall && call.Name == "convert" && len(call.Args) == 2 {
			types = append(types, call.Args[1].Range()) // a type, not a reference
		}
		return nil
	})
next:
	for _, t := range hclsyntax.Variables(expr) {
		for _, r := range types {
			if r.ContainsOffset(t.SourceRange().Start.Byte) {
				continue next
			}
		}
		if _, bound := s[t.RootName()]; !bound && t.RootName() != "var" && t.RootName() != "local" {
			return false
		}
		if v, diags := t.TraverseAbs(e.ctx(s)); !diags.HasErrors() && hasUnknown(v) {
			return false
		}
	}
	return ok
}

func known(function string) bool {
	_, ok := functions[function]
	return ok
}

func (e *evaluator) value(expr hcl.Expression, s scope) cty.Value {
	v, diags := expr.Value(e.ctx(s))
	e.diags = append(e.diags, diags...)
	return v
}

func lit(v cty.Value, like hclsyntax.Expression) hclsyntax.Expression {
	return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: like.Range()}
}

func (e *evaluator) eval(expr hclsyntax.Expression, s scope) cty.Value {
	if e.clean(expr, s) {
		return e.value(expr, s)
	}
	whole := unknownOf(e.text(expr.Range()))
	switch x := expr.(type) {
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, part := range x.Parts {
			v := e.eval(part, s)
			if hasUnknown(v) {
				b.WriteString(e.interpolation(part.Range()))
				continue
			}
			str, err := convert.Convert(v, cty.String)
			if err != nil || v.IsNull() {
				e.fail(part.Range(), "invalid template interpolation value")
				return cty.DynamicVal
			}
			b.WriteString(str.AsString())
		}
		return cty.StringVal(b.String())
	case *hclsyntax.TemplateWrapExpr:
		if v := e.eval(x.Wrapped, s); !isUnknown(v) {
			return v
		}
		return unknownOf(e.text(x.Wrapped.Range()))
	case *hclsyntax.TemplateJoinExpr: // a template's %{for}
		if tuple := e.eval(x.Tuple, s); !hasUnknown(tuple) {
			return e.value(&hclsyntax.TemplateJoinExpr{Tuple: lit(tuple, x.Tuple)}, s)
		}
		return whole
	case *hclsyntax.ParenthesesExpr:
		return e.eval(x.Expression, s)
	case *hclsyntax.TupleConsExpr:
		items := []cty.Value{}
		for _, item := range x.Exprs {
			items = append(items, e.eval(item, s))
		}
		return cty.TupleVal(items)
	case *hclsyntax.ObjectConsExpr:
		items := map[string]cty.Value{}
		for _, item := range x.Items {
			key := e.eval(item.KeyExpr, s)
			if isUnknown(key) {
				return whole
			}
			if key, err := convert.Convert(key, cty.String); err == nil && !key.IsNull() {
				items[key.AsString()] = e.eval(item.ValueExpr, s)
			} else {
				e.fail(item.KeyExpr.Range(), "invalid object key")
			}
		}
		return cty.ObjectVal(items)
	case *hclsyntax.ObjectConsKeyExpr:
		if name := hcl.ExprAsKeyword(x.Wrapped); name != "" && !x.ForceNonLiteral {
			return cty.StringVal(name)
		}
		return e.eval(x.Wrapped, s)
	case *hclsyntax.ScopeTraversalExpr:
		v, bound := s[x.Traversal.RootName()]
		switch {
		case bound:
		case x.Traversal.RootName() == "var":
			v = cty.ObjectVal(e.vars)
		case x.Traversal.RootName() == "local":
			v = cty.ObjectVal(e.locals)
		default:
			return whole
		}
		for _, step := range x.Traversal[1:] {
			if isUnknown(v) {
				return whole
			}
			var diags hcl.Diagnostics
			v, diags = step.TraversalStep(v)
			e.diags = append(e.diags, diags...)
		}
		return v
	case *hclsyntax.ConditionalExpr:
		cond := e.eval(x.Condition, s)
		if isUnknown(cond) {
			return whole
		}
		then, other := e.eval(x.TrueResult, s), e.eval(x.FalseResult, s)
		if cond.Type() == cty.Bool && !cond.IsNull() && (hasUnknown(then) || hasUnknown(other)) {
			return map[bool]cty.Value{true: then, false: other}[cond.True()]
		}
		return e.value(&hclsyntax.ConditionalExpr{Condition: lit(cond, x.Condition), TrueResult: lit(then, x.TrueResult),
			FalseResult: lit(other, x.FalseResult), SrcRange: x.SrcRange}, s)
	case *hclsyntax.ForExpr:
		return e.evalFor(x, s, whole)
	case *hclsyntax.FunctionCallExpr:
		if !known(x.Name) {
			e.lacking[x.Name] = true
			return whole
		}
		if x.Name == "try" || x.Name == "can" {
			return whole
		}
		call := *x
		call.Args = nil
		for i, arg := range x.Args {
			if x.Name == "convert" && i == 1 {
				call.Args = append(call.Args, arg)
				continue
			}
			v := e.eval(arg, s)
			if hasUnknown(v) {
				return whole
			}
			call.Args = append(call.Args, lit(v, arg))
		}
		return e.value(&call, s)
	case *hclsyntax.BinaryOpExpr:
		l, r := e.eval(x.LHS, s), e.eval(x.RHS, s)
		if hasUnknown(l) || hasUnknown(r) {
			return whole
		}
		return e.value(&hclsyntax.BinaryOpExpr{LHS: lit(l, x.LHS), Op: x.Op, RHS: lit(r, x.RHS), SrcRange: x.SrcRange}, s)
	case *hclsyntax.UnaryOpExpr:
		v := e.eval(x.Val, s)
		if hasUnknown(v) {
			return whole
		}
		return e.value(&hclsyntax.UnaryOpExpr{Op: x.Op, Val: lit(v, x.Val), SrcRange: x.SrcRange}, s)
	case *hclsyntax.IndexExpr:
		c, k := e.eval(x.Collection, s), e.eval(x.Key, s)
		if isUnknown(c) || isUnknown(k) {
			return whole
		}
		return e.value(&hclsyntax.IndexExpr{Collection: lit(c, x.Collection), Key: lit(k, x.Key), SrcRange: x.SrcRange}, s)
	case *hclsyntax.RelativeTraversalExpr:
		v := e.eval(x.Source, s)
		if isUnknown(v) {
			return whole
		}
		return e.value(&hclsyntax.RelativeTraversalExpr{Source: lit(v, x.Source), Traversal: x.Traversal, SrcRange: x.SrcRange}, s)
	case *hclsyntax.SplatExpr:
		v := e.eval(x.Source, s)
		if hasUnknown(v) {
			return whole
		}
		splat := *x
		splat.Source = lit(v, x.Source)
		return e.value(&splat, s)
	}
	return whole
}

// `for` over a collection holding runtime values: hcl's semantics, element by element.
func (e *evaluator) evalFor(x *hclsyntax.ForExpr, s scope, whole cty.Value) cty.Value {
	coll := e.eval(x.CollExpr, s)
	if isUnknown(coll) || coll.IsNull() || !coll.CanIterateElements() {
		return whole
	}
	tuple, object, groups := []cty.Value{}, map[string]cty.Value{}, map[string][]cty.Value{}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		inner := scope{x.ValVar: v}
		for name, value := range s {
			inner[name] = value
		}
		if x.KeyVar != "" {
			inner[x.KeyVar] = k
		}
		if x.CondExpr != nil {
			keep := e.eval(x.CondExpr, inner)
			if isUnknown(keep) {
				return whole
			} else if keep.Type() != cty.Bool || keep.IsNull() {
				e.fail(x.CondExpr.Range(), "invalid for condition: a bool is required")
				return cty.DynamicVal
			} else if keep.False() {
				continue
			}
		}
		value := e.eval(x.ValExpr, inner)
		if x.KeyExpr == nil {
			tuple = append(tuple, value)
			continue
		}
		key, err := convert.Convert(e.eval(x.KeyExpr, inner), cty.String)
		if err != nil || key.IsNull() {
			return whole
		}
		if _, duplicate := object[key.AsString()]; duplicate && !x.Group {
			e.fail(x.KeyExpr.Range(), "duplicate object key in a for expression")
		}
		object[key.AsString()] = value
		groups[key.AsString()] = append(groups[key.AsString()], value)
	}
	if x.KeyExpr == nil {
		return cty.TupleVal(tuple)
	}
	if x.Group {
		for key, values := range groups {
			object[key] = cty.TupleVal(values)
		}
	}
	return cty.ObjectVal(object)
}

func (e *evaluator) fail(r hcl.Range, summary string) {
	e.diags = append(e.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Subject: r.Ptr()})
}

// The value as skiff's hcl2json prints it: runtime values as "${...}".
func toJSON(v cty.Value) interface{} {
	v, _ = v.UnmarkDeep()
	switch {
	case isUnknown(v):
		return "${" + v.EncapsulatedValue().(*unknown).text + "}"
	case !v.IsKnown():
		return "${?}"
	case v.IsNull():
		return nil
	case v.Type() == cty.String:
		return v.AsString()
	case v.Type() == cty.Bool:
		return v.True()
	case v.Type() == cty.Number:
		if i, accuracy := v.AsBigFloat().Int64(); accuracy == 0 {
			return json.Number(fmt.Sprint(i))
		}
		f, _ := v.AsBigFloat().Float64()
		return json.Number(fmt.Sprint(f))
	case v.Type().IsObjectType() || v.Type().IsMapType():
		out := map[string]interface{}{}
		for it := v.ElementIterator(); it.Next(); {
			k, item := it.Element()
			out[k.AsString()] = toJSON(item)
		}
		return out
	}
	out := []interface{}{}
	for it := v.ElementIterator(); it.Next(); {
		_, item := it.Element()
		out = append(out, toJSON(item))
	}
	return out
}

// Appends v to the array at obj[path[0]]...[path[n-1]], as skiff does.
func place(obj map[string]interface{}, path []string, v interface{}) {
	if len(path) == 1 {
		list, _ := obj[path[0]].([]interface{})
		obj[path[0]] = append(list, v)
		return
	}
	inner, ok := obj[path[0]].(map[string]interface{})
	if !ok {
		inner = map[string]interface{}{}
		obj[path[0]] = inner
	}
	place(inner, path[1:], v)
}

func (e *evaluator) attributes(body *hclsyntax.Body, s scope, out map[string]interface{}) {
	for name, attr := range body.Attributes {
		out[name] = toJSON(e.eval(attr.Expr, s))
	}
}

func (e *evaluator) body(body *hclsyntax.Body, s scope, top bool) map[string]interface{} {
	out := map[string]interface{}{}
	e.attributes(body, s, out)
	for _, block := range body.Blocks {
		inner := map[string]interface{}{}
		switch {
		case top && block.Type == "variable":
			for name, attr := range block.Body.Attributes {
				if name == "type" {
					inner[name] = e.text(attr.Expr.Range())
				} else {
					inner[name] = toJSON(e.eval(attr.Expr, nil))
				}
			}
		case top && block.Type == "locals":
			for name := range block.Body.Attributes {
				inner[name] = toJSON(e.locals[name])
			}
		case block.Type == "dynamic":
			e.dynamic(block, s, out)
			continue
		default:
			inner = e.body(block.Body, s, false)
		}
		place(out, append([]string{block.Type}, block.Labels...), inner)
	}
	return out
}

// dynamic "T" { for_each = ..., iterator = it, labels = [...], content { ... } }, as hcl's dynblock.
func (e *evaluator) dynamic(block *hclsyntax.Block, s scope, out map[string]interface{}) {
	if len(block.Labels) != 1 || block.Body.Attributes["for_each"] == nil || len(block.Body.Blocks) != 1 {
		e.fail(block.TypeRange, "invalid dynamic block")
		return
	}
	name := block.Labels[0]
	if it := block.Body.Attributes["iterator"]; it != nil {
		name = hcl.ExprAsKeyword(it.Expr)
	}
	coll := e.eval(block.Body.Attributes["for_each"].Expr, s)
	if hasUnknown(coll) || coll.IsNull() || !coll.CanIterateElements() {
		e.fail(block.TypeRange, "for_each of a dynamic block must be a known collection")
		return
	}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if coll.Type().IsSetType() {
			k = v
		}
		inner := scope{name: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
		for n, value := range s {
			inner[n] = value
		}
		path := []string{block.Labels[0]}
		if labels := block.Body.Attributes["labels"]; labels != nil {
			for it := e.eval(labels.Expr, inner).ElementIterator(); it.Next(); {
				_, label := it.Element()
				if label, err := convert.Convert(label, cty.String); err == nil && !label.IsNull() {
					path = append(path, label.AsString())
				}
			}
		}
		place(out, path, e.body(block.Body.Blocks[0].Body, inner, false))
	}
}

// Variables as Nomad sets them: the default, then -var (a plain string for
// a string or untyped variable, else an HCL expression), converted to the type.
func (e *evaluator) variables(body *hclsyntax.Body, flags []string) {
	given := map[string]string{}
	for _, f := range flags {
		name, value, _ := strings.Cut(f, "=")
		given[name] = value
	}
	for _, block := range body.Blocks {
		if block.Type != "variable" || len(block.Labels) != 1 {
			continue
		}
		name, ty, value, set := block.Labels[0], cty.DynamicPseudoType, cty.NilVal, false
		if attr := block.Body.Attributes["type"]; attr != nil {
			var diags hcl.Diagnostics
			ty, diags = typeexpr.TypeConstraint(attr.Expr)
			e.diags = append(e.diags, diags...)
		}
		if attr := block.Body.Attributes["default"]; attr != nil {
			value, set = e.eval(attr.Expr, nil), true
		}
		if text, ok := given[name]; ok && (ty == cty.String || ty == cty.DynamicPseudoType) {
			value, set = cty.StringVal(text), true
		} else if ok {
			expr, diags := hclsyntax.ParseExpression([]byte(text), "-var "+name, hcl.InitialPos)
			e.diags = append(e.diags, diags...)
			value, set = e.value(expr, nil), true
		}
		if !set {
			e.fail(block.LabelRanges[0], fmt.Sprintf("variable %q has no value", name))
			value = unknownOf("var." + name)
		} else if converted, err := convert.Convert(value, ty); err == nil && !hasUnknown(value) {
			value = converted
		} else if err != nil && !hasUnknown(value) {
			e.fail(block.LabelRanges[0], fmt.Sprintf("invalid value for variable %q: %s", name, err))
		}
		e.vars[name] = value
	}
	for name := range given {
		if _, declared := e.vars[name]; !declared {
			e.fail(hcl.Range{Filename: "-var"}, fmt.Sprintf("no variable %q is declared", name))
		}
	}
}

// Locals in dependency order: each round evaluates those whose references are all known.
func (e *evaluator) evalLocals(body *hclsyntax.Body) {
	pending := map[string]hclsyntax.Expression{}
	for _, block := range body.Blocks {
		for name, attr := range block.Body.Attributes {
			if block.Type == "locals" {
				pending[name] = attr.Expr
			}
		}
	}
	for progress := true; progress; {
		progress = false
		names := []string{}
		for name := range pending {
			names = append(names, name)
		}
		sort.Strings(names)
	next:
		for _, name := range names {
			for _, t := range hclsyntax.Variables(pending[name]) {
				if t.RootName() != "local" {
					continue
				}
				if len(t) < 2 {
					continue next
				}
				if step, isAttr := t[1].(hcl.TraverseAttr); !isAttr || pending[step.Name] != nil {
					continue next
				}
			}
			e.locals[name] = e.eval(pending[name], nil)
			delete(pending, name)
			progress = true
		}
	}
	for name, expr := range pending {
		e.fail(expr.Range(), fmt.Sprintf("local.%s: a cycle in local values", name))
	}
}

type varFlags []string

func (v *varFlags) String() string     { return strings.Join(*v, " ") }
func (v *varFlags) Set(s string) error { *v = append(*v, s); return nil }

func main() {
	var flags varFlags
	flag.Var(&flags, "var", "NAME=VALUE for a variable (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: reference-hcl2json [-var NAME=VALUE]... FILE")
		os.Exit(2)
	}
	path := flag.Arg(0)
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	e := &evaluator{src: src, vars: map[string]cty.Value{}, locals: map[string]cty.Value{}, lacking: map[string]bool{}}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	e.diags = diags
	var out map[string]interface{}
	if !diags.HasErrors() {
		body := file.Body.(*hclsyntax.Body)
		e.variables(body, flags)
		e.evalLocals(body)
		out = e.body(body, nil, true)
	}
	names := []string{}
	for name := range e.lacking {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "lacks function %s\n", name)
	}
	if e.diags.HasErrors() {
		for _, d := range e.diags {
			if d.Subject != nil {
				fmt.Fprintf(os.Stderr, "%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
			}
			fmt.Fprintf(os.Stderr, "error: %s; %s\n", d.Summary, d.Detail)
		}
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
