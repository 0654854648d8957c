package dialog

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// shellWords splits a command quoted for a shell (single quotes, as
// kinesisx.AWSCommand writes) into its words, quotes kept.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// wrapCommand lays a shell command out in lines of at most w cells that
// paste back as the same command: lines end with " \" and break only
// between arguments, a flag kept with its value when they fit together.
// Only a single word wider than the line is cut.
func wrapCommand(cmd string, w int) []string {
	words := shellWords(cmd)
	var groups []string
	for i := 0; i < len(words); i++ {
		g := words[i]
		if strings.HasPrefix(g, "--") && i+1 < len(words) && !strings.HasPrefix(words[i+1], "--") {
			g += " " + words[i+1]
			i++
		}
		groups = append(groups, g)
	}
	const cont = " \\"
	room := max(w-lipgloss.Width(cont), 1)
	indent := "  " // continuation lines, when the width can spare it
	if w < 60 {
		indent = ""
	}
	var lines []string
	cur := ""
	add := func(part string) {
		switch {
		case cur == "":
			cur = part
		case lipgloss.Width(cur)+1+lipgloss.Width(part) <= room:
			cur += " " + part
		default:
			lines = append(lines, cur+cont)
			cur = indent + part
		}
	}
	for _, g := range groups {
		if lipgloss.Width(indent+g) > room && strings.Contains(g, " ") {
			flag, value, _ := strings.Cut(g, " ")
			add(flag)
			add(value)
			continue
		}
		add(g)
	}
	lines = append(lines, cur)
	var out []string
	for _, l := range lines {
		out = append(out, wrap(l, max(w, 1))...) // cuts a word only if it alone is wider than w
	}
	return out
}
