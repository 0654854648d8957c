package local_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kinspect/kinspect/kinesisx/local"
)

// wireShape is one shape of model.json, the input half of botocore's
// Kinesis model the endpoint validates against.
type wireShape struct {
	Type     string            `json:"type"`
	Required []string          `json:"required"`
	Min      *int64            `json:"min"`
	Max      *int64            `json:"max"`
	Pattern  string            `json:"pattern"`
	Enum     []string          `json:"enum"`
	Members  map[string]string `json:"members"`
	Member   string            `json:"member"`
	Key      string            `json:"key"`
	Value    string            `json:"value"`

	re *regexp.Regexp
}

type wireModel struct {
	Operations map[string]string     `json:"operations"`
	Shapes     map[string]*wireShape `json:"shapes"`
}

// step is one hop from a request's root to a member: a structure member or
// a map key (key), or a list element (idx); shape is the shape found there.
type step struct {
	key   string
	idx   int
	isIdx bool
	shape string
}

// violationCase is one request breaking one constraint of the model.
type violationCase struct {
	op, what string
	body     map[string]any
	want     []string // the errors AWS lists, in any order
	// anyValue: the value of a list of structures is Java's toString of
	// each element (class@hash), which no one can reproduce.
	anyValue bool
}

// caseGen derives, from the model alone, a valid request per operation and
// one request per constraint that breaks that constraint only.
type caseGen struct {
	m      *wireModel
	op     string
	cases  []violationCase
	unfit  []string // constraints no value can break (a length of at least 0)
	visits int
}

func loadWireModel(t *testing.T) *wireModel {
	t.Helper()
	raw, err := os.ReadFile("model.json")
	if err != nil {
		t.Fatal(err)
	}
	var m wireModel
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Shapes {
		if s.Pattern != "" {
			s.re = regexp.MustCompile(`^(?:` + s.Pattern + `)$`)
		}
	}
	return &m
}

// countConstraints counts the constraints reachable from shape name:
// required members, min, max, pattern and enum.
func (m *wireModel) countConstraints(name string) int {
	s := m.Shapes[name]
	n := len(s.Required)
	for _, set := range []bool{s.Min != nil, s.Max != nil, s.Pattern != "", len(s.Enum) > 0} {
		if set {
			n++
		}
	}
	for _, ms := range s.Members {
		n += m.countConstraints(ms)
	}
	for _, c := range []string{s.Member, s.Key, s.Value} {
		if c != "" {
			n += m.countConstraints(c)
		}
	}
	return n
}

// regexMin is the shortest string (preferring letters and digits) that
// the parsed pattern re matches.
func regexMin(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCharClass:
		for _, want := range []rune{'a', '0'} {
			for i := 0; i+1 < len(re.Rune); i += 2 {
				if re.Rune[i] <= want && want <= re.Rune[i+1] {
					return string(want)
				}
			}
		}
		return string(re.Rune[0])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return "a"
	case syntax.OpCapture:
		return regexMin(re.Sub[0])
	case syntax.OpConcat:
		var b strings.Builder
		for _, s := range re.Sub {
			b.WriteString(regexMin(s))
		}
		return b.String()
	case syntax.OpAlternate:
		return regexMin(re.Sub[0])
	case syntax.OpPlus:
		return regexMin(re.Sub[0])
	case syntax.OpRepeat:
		return strings.Repeat(regexMin(re.Sub[0]), re.Min)
	}
	return "" // empty, star, quest, anchors
}

// validString is the shortest string shape s accepts, made n-th of its kind.
func validString(s *wireShape, n int) string {
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	v := "a"
	if s.Pattern != "" {
		re, err := syntax.Parse(s.Pattern, syntax.Perl)
		if err != nil {
			panic(err)
		}
		v = regexMin(re.Simplify())
	}
	if n > 0 {
		v += strconv.Itoa(n)
	}
	if s.Min != nil && int64(len(v)) < *s.Min {
		v += strings.Repeat("a", int(*s.Min)-len(v))
	}
	return v
}

// minimal is a valid value of shape name with only its required members.
func (g *caseGen) minimal(name string) any {
	s := g.m.Shapes[name]
	switch s.Type {
	case "structure":
		obj := map[string]any{}
		for _, k := range s.Required {
			obj[k] = g.minimal(s.Members[k])
		}
		return obj
	case "list":
		return g.items(s.Member, max(1, lenOf(s.Min)))
	case "map":
		return g.entries(s, max(1, lenOf(s.Min)))
	case "string":
		return validString(s, 0)
	case "blob":
		return ""
	case "integer", "long":
		if s.Min != nil {
			return json.Number(strconv.FormatInt(*s.Min, 10))
		}
		return json.Number("1")
	case "boolean":
		return true
	case "timestamp":
		return json.Number("0")
	}
	panic("shape type " + s.Type)
}

func lenOf(p *int64) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func (g *caseGen) items(member string, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = g.minimal(member)
	}
	return out
}

func (g *caseGen) entries(s *wireShape, n int) map[string]any {
	out := map[string]any{}
	for i := range n {
		out[validString(g.m.Shapes[s.Key], i)] = g.minimal(s.Value)
	}
	return out
}

// set puts v at steps in the request body root, creating the containers on
// the way (as minimal values); del removes the member instead.
func (g *caseGen) set(root map[string]any, steps []step, v any, del bool) {
	var cur any = root
	for i, st := range steps {
		last := i == len(steps)-1
		if st.isIdx {
			arr := cur.([]any)
			if last {
				arr[st.idx] = v
				return
			}
			cur = arr[st.idx]
			continue
		}
		obj := cur.(map[string]any)
		if last {
			if del {
				delete(obj, st.key)
			} else {
				obj[st.key] = v
			}
			return
		}
		if _, ok := obj[st.key]; !ok {
			obj[st.key] = g.minimal(st.shape)
		}
		cur = obj[st.key]
	}
}

// base is the operation's valid request: its required members, and a
// StreamName where it takes one (the operations need a stream, by name or
// ARN, though the model requires neither; StreamName where it can).
func (g *caseGen) base() map[string]any {
	name := g.m.Operations[g.op]
	body := g.minimal(name).(map[string]any)
	_, byName := body["StreamName"]
	_, byARN := body["StreamARN"]
	for _, k := range []string{"StreamName", "StreamARN"} {
		if sh, ok := g.m.Shapes[name].Members[k]; ok && !byName && !byARN {
			body[k] = g.minimal(sh)
			break
		}
	}
	return body
}

func (g *caseGen) add(what string, steps []step, v any, del bool, want []string) {
	body := g.base()
	g.set(body, steps, v, del)
	g.cases = append(g.cases, violationCase{op: g.op, what: what, body: body, want: want})
}

// quote renders a value as AWS's messages quote it.
func quote(s *wireShape, v any) string {
	switch x := v.(type) {
	case string:
		if s.Type == "blob" {
			n := base64.StdEncoding.DecodedLen(len(x)) - strings.Count(x, "=")
			return fmt.Sprintf("'java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]'", n, n)
		}
		if utf8.RuneCountInString(x) > quoteWhole {
			x = string([]rune(x)[:quoteWhole]) + "…"
		}
		return "'" + x + "'"
	case json.Number:
		return "'" + x.String() + "'"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return "'[" + strings.Join(parts, ", ") + "]'"
	case map[string]any:
		keys := slices.Sorted(mapKeys(x))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + fmt.Sprint(x[k])
		}
		return "'{" + strings.Join(parts, ", ") + "}'"
	}
	return "null"
}

// quoteWhole is how many characters of a string value a message quotes
// whole; AWS quotes a 257-character partition key whole.
const quoteWhole = 4096

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// broken lists the constraints of scalar shape s that v breaks, in AWS's
// words.
func broken(s *wireShape, v any) []string {
	var out []string
	switch x := v.(type) {
	case json.Number:
		n, _ := strconv.ParseInt(x.String(), 10, 64)
		if s.Min != nil && n < *s.Min {
			out = append(out, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			out = append(out, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	case string:
		n := int64(utf8.RuneCountInString(x))
		if s.Type == "blob" {
			n = int64(base64.StdEncoding.DecodedLen(len(x)) - strings.Count(x, "="))
		}
		if s.Min != nil && n < *s.Min {
			out = append(out, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			out = append(out, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		}
		if s.re != nil && !s.re.MatchString(x) {
			out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, x) {
			out = append(out, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		}
	}
	return out
}

// all lists every constraint of scalar shape s, as AWS lists a collection
// member's constraints: max, min, pattern, enum.
func all(s *wireShape) []string {
	var out []string
	word := "length"
	if s.Type == "integer" || s.Type == "long" {
		word = "value"
	}
	if s.Max != nil {
		out = append(out, fmt.Sprintf("Member must have %s less than or equal to %d", word, *s.Max))
	}
	if s.Min != nil {
		out = append(out, fmt.Sprintf("Member must have %s greater than or equal to %d", word, *s.Min))
	}
	if s.Pattern != "" {
		out = append(out, "Member must satisfy regular expression pattern: "+s.Pattern)
	}
	if len(s.Enum) > 0 {
		out = append(out, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
	}
	return out
}

// badValues returns, per constraint of scalar shape s, a value breaking it
// (nil where none can), padding with a character the pattern keeps.
func badValues(s *wireShape) map[string]any {
	out := map[string]any{}
	if s.Type == "integer" || s.Type == "long" {
		if s.Min != nil {
			out["min"] = json.Number(strconv.FormatInt(*s.Min-1, 10))
		}
		if s.Max != nil {
			out["max"] = json.Number(strconv.FormatInt(*s.Max+1, 10))
		}
		return out
	}
	if s.Type == "blob" {
		if s.Min != nil {
			out["min"] = nil
			if *s.Min > 0 {
				out["min"] = base64.StdEncoding.EncodeToString(make([]byte, *s.Min-1))
			}
		}
		if s.Max != nil {
			out["max"] = base64.StdEncoding.EncodeToString(make([]byte, *s.Max+1))
		}
		return out
	}
	valid := validString(s, 0)
	if s.Min != nil {
		out["min"] = nil
		if *s.Min > 0 {
			out["min"] = valid[:*s.Min-1]
		}
	}
	if s.Max != nil {
		pad := "a"
		for _, c := range []string{"a", "0"} {
			if s.re == nil || s.re.MatchString(valid+c) {
				pad = c
				break
			}
		}
		out["max"] = valid + strings.Repeat(pad, int(*s.Max)+1-len(valid))
	}
	if s.Pattern != "" {
		out["pattern"] = strings.Repeat(" ", max(1, lenOf(s.Min)))
	}
	if len(s.Enum) > 0 {
		out["enum"] = strings.ToLower(s.Enum[0]) + "x"
	}
	return out
}

func join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// walk makes the cases for every constraint of shape name, found at steps
// (the AWS member path awsPath).
func (g *caseGen) walk(name string, steps []step, awsPath string) {
	s := g.m.Shapes[name]
	line := func(v any, constraint string) string {
		return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", quote(s, v), awsPath, constraint)
	}
	switch s.Type {
	case "structure":
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range s.Members {
				if !yield(k) {
					return
				}
			}
		}) {
			p := join(awsPath, lowerFirst(k))
			child := append(slices.Clip(steps), step{key: k, shape: s.Members[k]})
			if slices.Contains(s.Required, k) {
				g.visits++
				g.add(p+" required", child, nil, true, []string{
					fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", p)})
			}
			g.walk(s.Members[k], child, p)
		}
	case "list", "map":
		var bads []any
		if s.Min != nil {
			g.visits++
			if *s.Min == 0 {
				g.unfit = append(g.unfit, g.op+" "+awsPath+" min 0")
			} else {
				bads = append(bads, g.collection(s, int(*s.Min)-1))
			}
		}
		if s.Max != nil {
			g.visits++
			bads = append(bads, g.collection(s, int(*s.Max)+1))
		}
		for _, v := range bads {
			constraint := ""
			size := 0
			switch x := v.(type) {
			case []any:
				size = len(x)
			case map[string]any:
				size = len(x)
			}
			if s.Min != nil && int64(size) < *s.Min {
				constraint = fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min)
			} else {
				constraint = fmt.Sprintf("Member must have length less than or equal to %d", *s.Max)
			}
			g.add(fmt.Sprintf("%s with %d elements", awsPath, size), steps, v, false, []string{line(v, constraint)})
			if s.Type == "list" && g.m.Shapes[s.Member].Type == "structure" {
				g.cases[len(g.cases)-1].anyValue = true
			}
		}
		if s.Type == "list" {
			ms := g.m.Shapes[s.Member]
			if ms.Type == "structure" {
				g.walk(s.Member, append(slices.Clip(steps), step{idx: 0, isIdx: true, shape: s.Member}), awsPath+".1.member")
				return
			}
			g.scalarInCollection(ms, s, steps, "Member must satisfy constraint", func(bad any) any {
				return []any{bad}
			}, awsPath)
			return
		}
		g.scalarInCollection(g.m.Shapes[s.Key], s, steps, "Map keys must satisfy constraint", func(bad any) any {
			return map[string]any{bad.(string): g.minimal(s.Value)}
		}, awsPath)
		g.scalarInCollection(g.m.Shapes[s.Value], s, steps, "Map value must satisfy constraint", func(bad any) any {
			return map[string]any{validString(g.m.Shapes[s.Key], 0): bad}
		}, awsPath)
	default:
		g.scalar(s, steps, awsPath)
	}
}

// collection is a list or map of shape s with n minimal elements.
func (g *caseGen) collection(s *wireShape, n int) any {
	if s.Type == "list" {
		return g.items(s.Member, n)
	}
	return g.entries(s, n)
}

// eachBad calls f with a value breaking each constraint of scalar shape s
// (counting it), and notes the constraints no value breaks as unfit.
func (g *caseGen) eachBad(s *wireShape, where string, f func(c string, v any)) {
	bads := badValues(s)
	for _, c := range []string{"min", "max", "pattern", "enum"} {
		v, ok := bads[c]
		if !ok {
			continue
		}
		g.visits++
		if v == nil {
			g.unfit = append(g.unfit, g.op+" "+where+" min 0")
			continue
		}
		f(c, v)
	}
}

// scalar makes a case per constraint of scalar shape s at steps.
func (g *caseGen) scalar(s *wireShape, steps []step, awsPath string) {
	g.eachBad(s, awsPath, func(c string, v any) {
		var want []string
		for _, b := range broken(s, v) {
			want = append(want, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", quote(s, v), awsPath, b))
		}
		g.add(awsPath+" "+c, steps, v, false, want)
	})
}

// scalarInCollection makes a case per constraint of ms, the member (or map
// key or value) shape of collection shape s: AWS reports it once, at the
// collection, listing all of ms's constraints.
func (g *caseGen) scalarInCollection(ms, s *wireShape, steps []step, prefix string, wrap func(any) any, awsPath string) {
	g.eachBad(ms, awsPath+" "+prefix, func(c string, v any) {
		coll := wrap(v)
		want := fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s: [%s]", quote(s, coll), awsPath, prefix, strings.Join(all(ms), ", "))
		g.add(awsPath+" "+prefix+" "+c, steps, coll, false, []string{want})
	})
}

// marshalBody is json.Marshal(body) made fast for the multi-megabyte
// strings of the cases (escaping them byte by byte takes seconds under the
// race detector): they go in as placeholders, then are copied in whole.
// They are plain ASCII (base64 and padding), which JSON quotes as is.
func marshalBody(t *testing.T, body map[string]any) string {
	t.Helper()
	var big []string
	var swap func(v any) any
	swap = func(v any) any {
		switch x := v.(type) {
		case string:
			if len(x) > 1<<16 {
				big = append(big, x)
				return fmt.Sprintf("\x00big%d", len(big)-1)
			}
		case map[string]any:
			for k, e := range x {
				x[k] = swap(e)
			}
		case []any:
			for i, e := range x {
				x[i] = swap(e)
			}
		}
		return v
	}
	swap(body)
	out, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range big {
		out = bytes.Replace(out, fmt.Appendf(nil, `"\u0000big%d"`, i), []byte(`"`+s+`"`), 1)
	}
	return string(out)
}

// errorsOf splits a ValidationException message into its errors and checks
// its count.
func errorsOf(t *testing.T, msg string) []string {
	t.Helper()
	m := regexp.MustCompile(`^(\d+) validation errors? detected: (.*)$`).FindStringSubmatch(msg)
	if m == nil {
		t.Errorf("message not in AWS's form: %.300q", msg)
		return nil
	}
	errs := strings.Split(m[2], "; ")
	if n, _ := strconv.Atoi(m[1]); n != len(errs) || (n == 1) != strings.Contains(msg, " error detected") {
		t.Errorf("message counts %s errors but lists %d: %.300q", m[1], len(errs), msg)
	}
	return errs
}

var anyListValue = regexp.MustCompile(`^Value '\[.*\]' at `)

// TestEveryModelConstraint sends, for every operation and every constraint
// of its input shape in model.json (required members, lengths, ranges,
// patterns, enums, nested members and collection members included), a
// request valid but for breaking that constraint, and checks AWS's answer: a
// 400 ValidationException naming the value, the member path and the
// constraint in AWS's words. The valid base request of each operation must
// not be a ValidationException, so each case breaks only what it names.
func TestEveryModelConstraint(t *testing.T) {
	m := loadWireModel(t)
	url := startLocal(t, local.Options{})
	t.Cleanup(http.DefaultClient.CloseIdleConnections)

	total, visits := 0, 0
	var cases []violationCase
	var unfit []string
	for _, op := range slices.Sorted(func(yield func(string) bool) {
		for k := range m.Operations {
			if !yield(k) {
				return
			}
		}
	}) {
		g := &caseGen{m: m, op: op}
		total += m.countConstraints(m.Operations[op])
		g.walk(m.Operations[op], nil, "")
		visits += g.visits
		cases = append(cases, g.cases...)
		unfit = append(unfit, g.unfit...)

		base, _ := json.Marshal(g.base())
		if status, code, msg, _ := rawError(t, url, op, string(base)); code == "ValidationException" || code == "SerializationException" {
			t.Errorf("%s: the base request %s is refused by the model: %d %s %s", op, base, status, code, msg)
		}
	}
	if visits != total || len(cases)+len(unfit) != total {
		t.Fatalf("the model has %d constraints; %d were visited, %d cases and %d unbreakable made", total, visits, len(cases), len(unfit))
	}
	t.Logf("%d constraints: %d cases, %d unbreakable (a length of at least 0)", total, len(cases), len(unfit))

	for _, tc := range cases {
		body := marshalBody(t, tc.body)
		status, code, msg, _ := rawError(t, url, tc.op, body)
		if status != 400 || code != "ValidationException" {
			t.Errorf("%s %s: got %d %s %.300q, want 400 ValidationException", tc.op, tc.what, status, code, msg)
			continue
		}
		got := errorsOf(t, msg)
		if tc.anyValue && len(got) == 1 && anyListValue.MatchString(got[0]) {
			got[0] = anyListValue.ReplaceAllString(got[0], "")
			tc.want[0] = anyListValue.ReplaceAllString(tc.want[0], "")
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %s:\n got %.300q\nwant %.300q", tc.op, tc.what, got, tc.want)
		}
	}
}
