// Package prototest makes a protobuf descriptor set and messages of it for
// tests, without protoc.
package prototest

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// OrderSet is the descriptor set of
//
//	package shop.v1;
//	message Order { string id = 1; int64 amount_cents = 2; repeated string items = 3; }
func OrderSet(t testing.TB) []byte {
	t.Helper()
	label := func(l descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto_Label { return &l }
	typ := func(ty descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto_Type { return &ty }
	file := &descriptorpb.FileDescriptorProto{
		Name: proto.String("shop/v1/order.proto"), Package: proto.String("shop.v1"), Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("Order"),
			Field: []*descriptorpb.FieldDescriptorProto{
				{Name: proto.String("id"), JsonName: proto.String("id"), Number: proto.Int32(1), Label: label(descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL), Type: typ(descriptorpb.FieldDescriptorProto_TYPE_STRING)},
				{Name: proto.String("amount_cents"), JsonName: proto.String("amountCents"), Number: proto.Int32(2), Label: label(descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL), Type: typ(descriptorpb.FieldDescriptorProto_TYPE_INT64)},
				{Name: proto.String("items"), JsonName: proto.String("items"), Number: proto.Int32(3), Label: label(descriptorpb.FieldDescriptorProto_LABEL_REPEATED), Type: typ(descriptorpb.FieldDescriptorProto_TYPE_STRING)},
			},
		}},
	}
	b, err := proto.Marshal(&descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{file}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Order encodes a shop.v1.Order with the descriptor, as a producer's generated
// code would.
func Order(t testing.TB, set []byte, id string, cents int64, items ...string) []byte {
	t.Helper()
	var fds descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(set, &fds); err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(&fds)
	if err != nil {
		t.Fatal(err)
	}
	d, err := files.FindDescriptorByName("shop.v1.Order")
	if err != nil {
		t.Fatal(err)
	}
	md := d.(protoreflect.MessageDescriptor)
	m := dynamicpb.NewMessage(md)
	m.Set(md.Fields().ByName("id"), protoreflect.ValueOfString(id))
	m.Set(md.Fields().ByName("amount_cents"), protoreflect.ValueOfInt64(cents))
	list := m.Mutable(md.Fields().ByName("items")).List()
	for _, it := range items {
		list.Append(protoreflect.ValueOfString(it))
	}
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
