package models

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

const (
	// workerEnv marks a process started as a worker of the process model.
	workerEnv = "CONCBENCH_WORKER"
	// workerArg is a worker's only argument. It has no use in a binary
	// that calls ServeIfWorker; one that does not rejects it as an unknown
	// flag and exits, instead of running as itself once per worker.
	workerArg = "-concbench.worker"
	// resultsFD is the descriptor a worker writes its frames to. Its
	// stdout and stderr are free for task code: nothing printed there can
	// corrupt a frame.
	resultsFD = 3
	// progressFD is a file, shared with the parent, where a worker writes
	// which task it is about to run (see progress), so that its results
	// can wait in a buffer and its death still names the task it was in.
	progressFD = 4

	// exitWait bounds how long a worker whose input has ended waits for
	// its running task to return before it exits anyway.
	exitWait = time.Second
)

// The process model and its workers talk in frames: a 4-byte big-endian
// length, then that many bytes holding one message, a kind byte followed by
// the kind's fields. Integers are varints, strings a uvarint length and the
// bytes, a digest 8 bytes little-endian. A frame is at most maxFrame bytes,
// so a corrupt length costs an error, never a huge allocation.
const (
	maxFrame = 1 << 20
	// maxText bounds the error text and stack a worker sends per task;
	// longer ones are cut, keeping their start.
	maxText = 16 << 10
	// protocolVersion changes whenever a message changes shape; a worker
	// built from other sources is refused at its greeting.
	protocolVersion = 1
)

// A kind says what a message is and which of its fields are set.
type kind uint8

const (
	// Parent to worker.
	kindSpec   kind = 1 + iota // Seq, Spec: prepare this spec, dropping the previous one
	kindRun                    // Seq, Lo, Hi: run tasks Lo..Hi-1 of the current spec
	kindCancel                 // Seq: stop the tasks of batch Seq
	// Worker to parent.
	kindHello  // Version, PID, CPU: the worker is ready
	kindResult // Index, Status, Bytes, Digest, Took, Text, Stack: one task's outcome
	kindDone   // Seq, Lo, Hi, CPU: a run is over; its unreported tasks were skipped
)

func (k kind) String() string {
	switch k {
	case kindSpec:
		return "spec"
	case kindRun:
		return "run"
	case kindCancel:
		return "cancel"
	case kindHello:
		return "hello"
	case kindResult:
		return "result"
	case kindDone:
		return "done"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// A status is how a task ended, in a result message.
type status uint8

const (
	statusOK        status = iota
	statusError            // Text is the error
	statusPanic            // Text is the panic value, Stack where it happened
	statusCancelled        // the task returned its context's error after a cancel
	numStatus
)

// A message is one frame's content. Only the fields of its Kind are set;
// the others are zero.
type message struct {
	Kind kind

	Seq    uint64 // batch sequence number: spec, run, cancel, done
	Lo, Hi int    // task index range [Lo, Hi): run, done
	Spec   Spec   // spec

	Version int           // hello
	PID     int           // hello
	CPU     time.Duration // hello, done: the worker's CPU time so far

	Index  int    // result
	Status status // result
	Bytes  int64  // result
	Digest uint64 // result
	Took   time.Duration
	Text   string // result: error text or panic value
	Stack  string // result: panic stack
}

// appendFrame appends m's frame to dst.
func appendFrame(dst []byte, m *message) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, byte(m.Kind))
	switch m.Kind {
	case kindSpec:
		dst = binary.AppendUvarint(dst, m.Seq)
		dst = appendString(dst, m.Spec.Workload)
		dst = binary.AppendUvarint(dst, uint64(len(m.Spec.Params)))
		for _, p := range m.Spec.Params {
			dst = appendString(dst, p)
		}
	case kindRun, kindDone:
		dst = binary.AppendUvarint(dst, m.Seq)
		dst = binary.AppendUvarint(dst, uint64(m.Lo))
		dst = binary.AppendUvarint(dst, uint64(m.Hi))
		if m.Kind == kindDone {
			dst = binary.AppendUvarint(dst, uint64(m.CPU))
		}
	case kindCancel:
		dst = binary.AppendUvarint(dst, m.Seq)
	case kindHello:
		dst = binary.AppendUvarint(dst, uint64(m.Version))
		dst = binary.AppendUvarint(dst, uint64(m.PID))
		dst = binary.AppendUvarint(dst, uint64(m.CPU))
	case kindResult:
		dst = binary.AppendUvarint(dst, uint64(m.Index))
		dst = append(dst, byte(m.Status))
		dst = binary.AppendVarint(dst, m.Bytes)
		dst = binary.LittleEndian.AppendUint64(dst, m.Digest)
		dst = binary.AppendUvarint(dst, uint64(m.Took))
		dst = appendString(dst, m.Text)
		dst = appendString(dst, m.Stack)
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// A frameReader reads frames from a stream, reusing one buffer.
type frameReader struct {
	r   *bufio.Reader
	buf []byte
}

func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 64<<10)}
}

var errFrameTooShort = errors.New("frame: empty frame, want at least a kind byte")

// read reads the next frame into m. At the end of the stream it returns
// io.EOF if the stream ended between frames, and an error saying the frame
// was cut off otherwise.
func (fr *frameReader) read(m *message) error {
	var hdr [4]byte
	if _, err := io.ReadFull(fr.r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return errors.New("frame: stream ended inside a frame header")
		}
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	switch {
	case n == 0:
		return errFrameTooShort
	case n > maxFrame:
		return fmt.Errorf("frame: length %d exceeds the maximum of %d bytes", n, maxFrame)
	}
	if cap(fr.buf) < int(n) {
		fr.buf = make([]byte, n)
	}
	body := fr.buf[:n]
	if got, err := io.ReadFull(fr.r, body); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("frame: stream ended after %d of %d bytes", got, n)
		}
		return err
	}
	return decodeMessage(body, m)
}

// decodeMessage decodes one frame's body into m.
func decodeMessage(body []byte, m *message) error {
	if len(body) == 0 {
		return errFrameTooShort
	}
	*m = message{Kind: kind(body[0])}
	d := decoder{buf: body[1:]}
	switch m.Kind {
	case kindSpec:
		m.Seq = d.uvarint()
		m.Spec.Workload = d.string()
		// Each parameter takes at least one byte, which bounds the count
		// before anything is allocated.
		if n := d.uvarint(); n > 0 && d.err == nil {
			if n > uint64(len(d.buf)) {
				return fmt.Errorf("frame: spec claims %d parameters in %d bytes", n, len(d.buf))
			}
			m.Spec.Params = make([]string, n)
			for i := range m.Spec.Params {
				m.Spec.Params[i] = d.string()
			}
		}
	case kindRun, kindDone:
		m.Seq = d.uvarint()
		m.Lo, m.Hi = d.int(), d.int()
		if m.Kind == kindDone {
			m.CPU = d.duration()
		}
		if d.err == nil && m.Lo > m.Hi {
			return fmt.Errorf("frame: %s range [%d, %d) is reversed", m.Kind, m.Lo, m.Hi)
		}
	case kindCancel:
		m.Seq = d.uvarint()
	case kindHello:
		m.Version, m.PID, m.CPU = d.int(), d.int(), d.duration()
	case kindResult:
		m.Index = d.int()
		m.Status = status(d.byte())
		m.Bytes = d.varint()
		m.Digest = d.uint64()
		m.Took = d.duration()
		m.Text = d.string()
		m.Stack = d.string()
		if d.err == nil && m.Status >= numStatus {
			return fmt.Errorf("frame: unknown task status %d", m.Status)
		}
	default:
		return fmt.Errorf("frame: unknown message kind %d", body[0])
	}
	if d.err != nil {
		return fmt.Errorf("frame: %s message: %w", m.Kind, d.err)
	}
	if len(d.buf) > 0 {
		return fmt.Errorf("frame: %s message has %d bytes left over", m.Kind, len(d.buf))
	}
	return nil
}

// A decoder reads fields from a frame body; the first error sticks and
// later reads return zero values.
type decoder struct {
	buf []byte
	err error
}

var errTruncated = errors.New("truncated")

func (d *decoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }

func (d *decoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint reads one value with read (binary.Uvarint or binary.Varint),
// recording a truncated or overlong encoding as d's error.
func readVarint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := read(d.buf)
	if n <= 0 {
		d.err = errTruncated
		if n < 0 {
			d.err = errors.New("varint overflows 64 bits")
		}
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

// int reads a uvarint that must fit a non-negative int.
func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt && d.err == nil {
		d.err = fmt.Errorf("integer %d out of range", v)
		return 0
	}
	return int(v)
}

func (d *decoder) duration() time.Duration {
	v := d.uvarint()
	if v > math.MaxInt64 && d.err == nil {
		d.err = fmt.Errorf("duration %d out of range", v)
		return 0
	}
	return time.Duration(v)
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.buf) < 1 {
		d.err = errTruncated
		return 0
	}
	b := d.buf[0]
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) uint64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.buf) < 8 {
		d.err = errTruncated
		return 0
	}
	v := binary.LittleEndian.Uint64(d.buf)
	d.buf = d.buf[8:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.buf)) {
		d.err = fmt.Errorf("string of %d bytes with %d left in the frame", n, len(d.buf))
		return ""
	}
	s := string(d.buf[:n])
	d.buf = d.buf[n:]
	return s
}

// truncateText cuts s to maxText bytes, saying so.
func truncateText(s string) string {
	if len(s) <= maxText {
		return s
	}
	return s[:maxText] + "\n... (cut)"
}

// specKey checks that spec fits a frame and returns a string that is equal
// exactly for equal specs: its encoding, where every string carries its
// length.
func specKey(spec Spec) (string, error) {
	if spec.Workload == "" {
		return "", errors.New("job has no spec: the process and exec models run Job.Spec in processes of their own")
	}
	frame := appendFrame(nil, &message{Kind: kindSpec, Spec: spec})
	if len(frame) > maxFrame {
		return "", fmt.Errorf("spec of workload %s is %d bytes encoded: want at most %d", spec.Workload, len(frame), maxFrame)
	}
	return string(frame), nil
}

// A progress record is the batch sequence number and the index of the task
// a worker is about to run, 8 bytes each, little-endian, at the start of
// the progress file.
const progressSize = 16

func appendProgress(dst []byte, seq uint64, i int) []byte {
	dst = binary.LittleEndian.AppendUint64(dst, seq)
	return binary.LittleEndian.AppendUint64(dst, uint64(i))
}

// readProgress returns the last progress record in r; ok is false if there
// is none.
func readProgress(r io.ReaderAt) (seq uint64, i int, ok bool) {
	var b [progressSize]byte
	if n, _ := r.ReadAt(b[:], 0); n < progressSize {
		return 0, 0, false
	}
	seq, idx := binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
	if idx > math.MaxInt {
		return 0, 0, false
	}
	return seq, int(idx), true
}
