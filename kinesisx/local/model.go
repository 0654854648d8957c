package local

import (
	"bytes"
	_ "embed" // model.json
	"encoding/json"
	"regexp"
)

// modelJSON is the input half of botocore's Kinesis model (every
// operation's request shapes, their types and constraints), written by
// testdata/trim_model.py.
//
//go:embed model.json
var modelJSON []byte

// apiModel is the request schema of the Kinesis API: the endpoint checks
// every request against it before the operation sees it, as AWS's front end
// does (types first, a SerializationException; then constraints, a
// ValidationException).
type apiModel struct {
	Operations map[string]string    `json:"operations"`
	Shapes     map[string]*shapeDef `json:"shapes"`
}

// shapeDef is one shape of the model.
type shapeDef struct {
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

	re *regexp.Regexp // Pattern, anchored at both ends
}

// loadModel parses the embedded model; it is part of the binary, so a
// failure is a build defect.
func loadModel() *apiModel {
	var m apiModel
	if err := json.NewDecoder(bytes.NewReader(modelJSON)).Decode(&m); err != nil {
		panic("kinesisx/local: embedded model.json: " + err.Error())
	}
	for _, s := range m.Shapes {
		if s.Pattern != "" {
			s.re = regexp.MustCompile(`^(?:` + s.Pattern + `)$`)
		}
	}
	return &m
}
