package cmd

import "github.com/kinspect/kinspect/kinesisx/protodec"

// Proto returns the protobuf decoders --proto-descriptor and
// --proto-message ask for (nil when they are not given; a nil Set decodes
// nothing); a bad descriptor set or message name is bad usage.
func (f *Factory) Proto() (*protodec.Set, error) {
	switch {
	case f.ProtoDescriptor == "" && f.ProtoMessage == "":
		return nil, nil
	case f.ProtoDescriptor == "" || f.ProtoMessage == "":
		return nil, usagef("--proto-descriptor and --proto-message go together")
	}
	d, err := protodec.LoadSet(f.ProtoDescriptor, f.ProtoMessage)
	if err != nil {
		return nil, usageError{err}
	}
	return d, nil
}
