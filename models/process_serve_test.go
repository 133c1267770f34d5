package models

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
)

// TestServe drives the worker side in-process: a greeting, the results of
// a run in order, then its done message; a clean exit when input ends.
func TestServe(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	progress := new(progressFile)
	go func() { served <- serve(testBuild, inR, outW, progress) }()
	fr := newFrameReader(outR)
	var m message
	if err := fr.read(&m); err != nil || m.Kind != kindHello || m.Version != protocolVersion {
		t.Fatalf("greeting %+v, %v", m, err)
	}
	var frames []byte
	frames = appendFrame(frames, &message{Kind: kindSpec, Seq: 1, Spec: spec("fail", "at=4")})
	frames = appendFrame(frames, &message{Kind: kindRun, Seq: 1, Lo: 3, Hi: 6})
	go inW.Write(frames)
	for i, want := range []struct {
		index  int
		status status
		digest uint64
	}{{3, statusOK, 9}, {4, statusError, 0}, {5, statusOK, 25}} {
		if err := fr.read(&m); err != nil || m.Kind != kindResult || m.Index != want.index || m.Status != want.status || m.Digest != want.digest {
			t.Fatalf("result %d: %+v, %v; want task %d with status %d", i, m, err, want.index, want.status)
		}
	}
	if m.Text != "" {
		t.Errorf("a successful task came with text %q", m.Text)
	}
	if err := fr.read(&m); err != nil || m.Kind != kindDone || m.Seq != 1 || m.Lo != 3 || m.Hi != 6 || m.CPU <= 0 {
		t.Fatalf("done: %+v, %v", m, err)
	}
	if seq, i, ok := readProgress(progress); !ok || seq != 1 || i != 5 {
		t.Errorf("progress record: batch %d task %d (%v), want batch 1 task 5", seq, i, ok)
	}
	inW.Close()
	if err := <-served; err != nil {
		t.Errorf("serve after its input ended: %v", err)
	}
}

// A progressFile is an in-memory progress file.
type progressFile struct {
	mu  sync.Mutex
	buf []byte
}

func (f *progressFile) WriteAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if need := int(off) + len(p); len(f.buf) < need {
		f.buf = append(f.buf, make([]byte, need-len(f.buf))...)
	}
	return copy(f.buf[off:], p), nil
}

func (f *progressFile) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if int(off) >= len(f.buf) {
		return 0, io.EOF
	}
	n := copy(p, f.buf[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestServeBadInput feeds the worker a malformed frame: it must stop with
// an error that says so.
func TestServeBadInput(t *testing.T) {
	var out bytes.Buffer
	err := serve(testBuild, bytes.NewReader(frame(200)), &out, new(progressFile))
	if err == nil || !strings.Contains(err.Error(), "reading from the parent: frame: unknown message kind 200") {
		t.Errorf("err = %v", err)
	}
	if err := serve(testBuild, bytes.NewReader(appendFrame(nil, &message{Kind: kindHello})), &out, new(progressFile)); err == nil || !strings.Contains(err.Error(), "unexpected hello message") {
		t.Errorf("hello from the parent: err = %v", err)
	}
}

// TestPreparePanics: a Builder that panics fails the spec with the panic
// and its stack, and leaves the worker serving.
func TestPreparePanics(t *testing.T) {
	s := &server{build: func(context.Context, Spec) (Task, func() error, error) { panic("no corpus") }}
	task, release, err := s.prepare(context.Background(), spec("broken"))
	var pe *PanicError
	if task != nil || release != nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "preparing workload broken: panic: no corpus") {
		t.Fatalf("prepare = %v, %v, %v; want the builder's panic", task != nil, release != nil, err)
	}
	if !strings.Contains(string(pe.Stack), "process_serve_test.go") {
		t.Errorf("stack does not show where it panicked:\n%s", pe.Stack)
	}
}
