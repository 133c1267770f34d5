package models

import (
	"bytes"
	"encoding/binary"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleMessages has one message of each kind, with every field set.
var sampleMessages = []message{
	{Kind: kindSpec, Seq: 7, Spec: Spec{Workload: "zstd", Params: []string{"size=64KiB", "level=fastest"}}},
	{Kind: kindSpec, Seq: 1, Spec: Spec{Workload: "noop"}},
	{Kind: kindRun, Seq: 7, Lo: 16, Hi: 64},
	{Kind: kindCancel, Seq: 1 << 40},
	{Kind: kindHello, Version: protocolVersion, PID: 4242, CPU: 3 * time.Millisecond},
	{Kind: kindResult, Index: 63, Status: statusOK, Bytes: 1 << 20, Digest: 0xdeadbeefcafef00d, Took: time.Millisecond},
	{Kind: kindResult, Index: 5, Status: statusPanic, Text: "kaboom", Stack: "goroutine 1 [running]:\n..."},
	{Kind: kindResult, Index: 0, Status: statusError, Bytes: -1, Text: "boom"},
	{Kind: kindResult, Index: 9, Status: statusCancelled},
	{Kind: kindDone, Seq: 7, Lo: 16, Hi: 64, CPU: time.Second},
}

func TestFrameRoundTrip(t *testing.T) {
	var stream []byte
	for i := range sampleMessages {
		stream = appendFrame(stream, &sampleMessages[i])
	}
	fr := newFrameReader(bytes.NewReader(stream))
	for i, want := range sampleMessages {
		var got message
		if err := fr.read(&got); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("message %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	var m message
	if err := fr.read(&m); err != io.EOF {
		t.Errorf("after the last frame: %v, want io.EOF", err)
	}
}

// frame wraps body in a frame header.
func frame(body ...byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func TestFrameErrors(t *testing.T) {
	good := appendFrame(nil, &sampleMessages[0])
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"cut header", []byte{0, 0}, "inside a frame header"},
		{"cut body", good[:len(good)-3], "stream ended after"},
		{"empty frame", frame(), "empty frame"},
		{"oversize", []byte{0x7f, 0xff, 0xff, 0xff, 1}, "exceeds the maximum"},
		{"unknown kind", frame(200), "unknown message kind 200"},
		{"cut field", frame(byte(kindRun), 1), "run message: truncated"},
		{"left over", frame(byte(kindCancel), 1, 2), "1 bytes left over"},
		{"long string", frame(byte(kindSpec), 1, 100, 'x'), "string of 100 bytes"},
		{"many params", frame(byte(kindSpec), 1, 0, 100), "claims 100 parameters"},
		{"reversed", frame(byte(kindRun), 1, 9, 3), "reversed"},
		{"bad status", frame(byte(kindResult), 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "unknown task status 9"},
		{"overflow", frame(byte(kindCancel), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), "overflows"},
		{"huge index", frame(byte(kindRun), 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), "out of range"},
	} {
		var m message
		err := newFrameReader(bytes.NewReader(tc.in)).read(&m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadFrame feeds arbitrary bytes to the frame reader. It must return
// errors, never panic, and what it decodes must encode back to a frame that
// decodes to the same message. The seed corpus is in testdata/fuzz.
func FuzzReadFrame(f *testing.F) {
	for i := range sampleMessages {
		f.Add(appendFrame(nil, &sampleMessages[i]))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fr := newFrameReader(bytes.NewReader(in))
		for {
			var m message
			if err := fr.read(&m); err != nil {
				return
			}
			var again message
			if err := newFrameReader(bytes.NewReader(appendFrame(nil, &m))).read(&again); err != nil {
				t.Fatalf("%+v encodes to a frame that does not decode: %v", m, err)
			}
			if !reflect.DeepEqual(again, m) {
				t.Fatalf("round trip changed %+v into %+v", m, again)
			}
		}
	})
}
