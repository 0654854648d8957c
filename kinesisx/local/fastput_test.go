package local

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecodePutRecordsFast(t *testing.T) {
	tests := []struct {
		body string
		ok   bool
	}{
		{`{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s"}`, true},
		{` { "StreamARN" : "arn" , "Records" : [ { "PartitionKey":"é","ExplicitHashKey":"1","Data":"" } ] } `, true},
		{`{"Records":[]}`, true},
		{`{}`, true},
		{`{"Records":[{"Data":"aGk=","PartitionKey":"a\"b"}]}`, false}, // escapes: fall back
		{`{"Records":[{"Data":"***","PartitionKey":"k"}]}`, false},     // bad base64
		{`{"Records":[{"Data":null,"PartitionKey":"k"}]}`, false},
		{`{"Records":[{"Data":"aGk=","PartitionKey":"k","Extra":"x"}]}`, false},
		{`{"StreamName":5}`, false},
		{`{"Records":[{"Data":"aGk=","PartitionKey":"k"}]} x`, false},
		{`{"Records":[{"Data":"aGk=","PartitionKey":"k"},]}`, false},
		{"{\"Records\":[{\"PartitionKey\":\"\xff\"}]}", false},
	}
	for _, tt := range tests {
		got, ok := decodePutRecordsFast([]byte(tt.body))
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.body, ok, tt.ok)
			continue
		}
		if ok {
			var want putRecordsInput
			if err := json.Unmarshal([]byte(tt.body), &want); err != nil {
				t.Fatalf("%s: encoding/json: %v", tt.body, err)
			}
			if want.Records == nil && got.Records != nil && len(got.Records) == 0 {
				want.Records = got.Records // [] vs nil only
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: fast %+v, encoding/json %+v", tt.body, got, want)
			}
		}
	}
}

// FuzzDecodePutRecordsFast checks that whenever the fast path accepts a
// body, encoding/json decodes it to the same value.
func FuzzDecodePutRecordsFast(f *testing.F) {
	f.Add([]byte(`{"Records":[{"Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"7"}],"StreamName":"s"}`))
	f.Add([]byte(`{"StreamARN":"a","Records":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := decodePutRecordsFast(body)
		if !ok {
			return
		}
		var want putRecordsInput
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json: %v", body, err)
		}
		if want.Records == nil && len(got.Records) == 0 {
			want.Records = got.Records
		}
		for i := range want.Records {
			if len(want.Records[i].Data) == 0 && len(got.Records[i].Data) == 0 {
				want.Records[i].Data = got.Records[i].Data
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", body, got, want)
		}
	})
}
