package local

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The ARN-addressed tag operations (TagResource, UntagResource,
// ListTagsForResource), for streams and consumers, with the limits of
// botocore's kinesis model: ResourceARN 1–2048 characters matching
// resourceARNRE, Tags 1–200 entries per request and at most 50 per
// resource, keys 1–128 and values 0–256 characters, TagKeys 1–50 keys.

const (
	maxTagsPerResource = 50
	maxTagsPerRequest  = 200
	maxTagKeysPerCall  = 50
)

// resourceARNRE is the model's ResourceARN pattern.
var resourceARNRE = regexp.MustCompile(`^arn:aws.*:kinesis:.*:\d{12}:.*stream/\S+$`)

type resourceTagsInput struct {
	ResourceARN *string           `json:"ResourceARN"`
	Tags        map[string]string `json:"Tags"`
	TagKeys     []string          `json:"TagKeys"`
}

func (s *Server) tagResource(c *call) (any, error) {
	var in resourceTagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, errValidation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Tags) < 1 || len(in.Tags) > maxTagsPerRequest {
		return nil, errValidation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", maxTagsPerRequest)
	}
	for k, v := range in.Tags {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(v) > 256 {
			return nil, errValidation("1 validation error detected: Value at 'tags.%s.member.value' failed to satisfy constraint: Member must have length less than or equal to 256", k)
		}
		if !tagChars(v) {
			return nil, errInvalid("Tag value %q: tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @", v)
		}
	}
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.tag(k, in.Tags, c.now)
}

func (s *Server) untagResource(c *call) (any, error) {
	var in resourceTagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, errValidation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	if len(in.TagKeys) < 1 || len(in.TagKeys) > maxTagKeysPerCall {
		return nil, errValidation("1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", maxTagKeysPerCall)
	}
	for _, k := range in.TagKeys {
		if err := checkTagKey(k); err != nil {
			return nil, err
		}
	}
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	return struct{}{}, st.untag(k, in.TagKeys, c.now)
}

func (s *Server) listTagsForResource(c *call) (any, error) {
	var in resourceTagsInput
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	st, k, err := s.resource(c, in.ResourceARN)
	if err != nil {
		return nil, err
	}
	out := []map[string]string{}
	for _, kv := range st.tagsOf(k) {
		out = append(out, map[string]string{"Key": kv[0], "Value": kv[1]})
	}
	return map[string]any{"Tags": out}, nil
}

// checkTagKey checks a tag key's length (the model's 1–128) and characters.
func checkTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
		return errValidation("1 validation error detected: Value %q at 'tagKey' failed to satisfy constraint: Member must have length less than or equal to 128 and greater than or equal to 1", k)
	}
	if !tagChars(k) {
		return errInvalid("Tag key %q: tags may only contain Unicode letters, digits, white space, or these symbols: _ . : / = + - @", k)
	}
	return nil
}

// tagChars reports whether s uses only the characters the API allows in a
// tag: Unicode letters, digits, white space and _ . : / = + - @.
func tagChars(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}
