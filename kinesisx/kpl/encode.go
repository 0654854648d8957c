package kpl

import (
	"crypto/md5"

	"google.golang.org/protobuf/encoding/protowire"
)

// keyTable assigns each distinct key an index in order of first use, as
// the KPL does, so that repeated keys are stored once.
type keyTable struct {
	index map[string]uint64
	keys  []string
}

// add returns the key's index, adding the key if it is new.
func (t *keyTable) add(key string) uint64 {
	if i, ok := t.index[key]; ok {
		return i
	}
	if t.index == nil {
		t.index = make(map[string]uint64)
	}
	i := uint64(len(t.keys))
	t.index[key] = i
	t.keys = append(t.keys, key)
	return i
}

// size is the encoded size of the table as a repeated string field.
func (t *keyTable) size() int {
	n := 0
	for _, k := range t.keys {
		n += protowire.SizeTag(1) + protowire.SizeBytes(len(k))
	}
	return n
}

// appendTo appends the table as repeated string field num.
func (t *keyTable) appendTo(b []byte, num protowire.Number) []byte {
	for _, k := range t.keys {
		b = protowire.AppendTag(b, num, protowire.BytesType)
		b = protowire.AppendString(b, k)
	}
	return b
}

// Aggregate packs records into one KPL aggregate, in order. Partition keys
// and explicit hash keys are stored once each in their tables; an empty
// ExplicitHashKey means the record has none. It returns ErrNoRecords for
// an empty slice.
//
// Aggregate does not enforce Kinesis size limits: a caller that puts the
// result checks its length against the stream's maximum record size.
func Aggregate(records []Record) ([]byte, error) {
	if len(records) == 0 {
		return nil, ErrNoRecords
	}
	var pks, ehks keyTable
	type indices struct {
		pk, ehk uint64
		size    int // encoded Record message
	}
	idx := make([]indices, len(records))
	msgSize := 0
	for i, r := range records {
		x := indices{pk: pks.add(r.PartitionKey)}
		x.size = protowire.SizeTag(fieldPartitionKeyIndex) + protowire.SizeVarint(x.pk)
		if r.ExplicitHashKey != "" {
			x.ehk = ehks.add(r.ExplicitHashKey)
			x.size += protowire.SizeTag(fieldExplicitHashKeyIndex) + protowire.SizeVarint(x.ehk)
		}
		x.size += protowire.SizeTag(fieldData) + protowire.SizeBytes(len(r.Data))
		idx[i] = x
		msgSize += protowire.SizeTag(fieldRecords) + protowire.SizeBytes(x.size)
	}
	msgSize += pks.size() + ehks.size()

	b := make([]byte, 0, len(magic)+msgSize+digestLen)
	b = append(b, magic...)
	b = pks.appendTo(b, fieldPartitionKeyTable)
	b = ehks.appendTo(b, fieldExplicitHashKeyTable)
	for i, r := range records {
		x := idx[i]
		b = protowire.AppendTag(b, fieldRecords, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(x.size))
		b = protowire.AppendTag(b, fieldPartitionKeyIndex, protowire.VarintType)
		b = protowire.AppendVarint(b, x.pk)
		if r.ExplicitHashKey != "" {
			b = protowire.AppendTag(b, fieldExplicitHashKeyIndex, protowire.VarintType)
			b = protowire.AppendVarint(b, x.ehk)
		}
		b = protowire.AppendTag(b, fieldData, protowire.BytesType)
		b = protowire.AppendBytes(b, r.Data)
	}
	sum := md5.Sum(b[len(magic):])
	return append(b, sum[:]...), nil
}
