package tail

import (
	"strings"
	"sync"
	"testing"
)

func TestBufferKeepsTheEnd(t *testing.T) {
	var b Buffer
	b.Write([]byte("start\n"))
	b.Write([]byte(strings.Repeat("x", Size)))
	b.Write([]byte("end\n"))
	got := b.String()
	if len(got) != Size || !strings.HasSuffix(got, "xend\n") || strings.Contains(got, "start") {
		t.Errorf("kept %d bytes ending %q, want the last %d", len(got), got[max(0, len(got)-8):], Size)
	}
}

func TestBufferConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				b.Write([]byte("0123456789"))
			}
		})
	}
	wg.Wait()
	if got := b.String(); len(got) != Size {
		t.Errorf("kept %d bytes, want %d", len(got), Size)
	}
}
