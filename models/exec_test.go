package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestExecProcessPerTask: every task runs in a process of its own, which
// prepared the spec for it alone, and none of them is left when Run
// returns.
func TestExecProcessPerTask(t *testing.T) {
	const n = 12
	e, err := NewExec(3)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := e.Run(context.Background(), Job{N: n, Spec: spec("square", "mark="+dir)}); err != nil {
		t.Fatal(err)
	}
	tasks, prepared := marks(t, dir, true), marks(t, dir, false)
	pids := map[string]bool{}
	for _, name := range tasks {
		pid, _, _ := strings.Cut(name, "-")
		pids[pid] = true
	}
	if len(tasks) != n || len(pids) != n || len(prepared) != n {
		t.Errorf("%d tasks ran in %d processes, %d of which prepared: want %d of each", len(tasks), len(pids), len(prepared), n)
	}
	for pid := range pids {
		var p int
		fmt.Sscan(pid, &p)
		if running(p) {
			t.Errorf("process %d of a task still runs after Run returned", p)
		}
	}
}

// TestExecConcurrency: no more than W processes run at once. Each task
// naps 20ms, so a batch of 8 on 2 takes at least four naps, and on 8 far
// less than eight.
func TestExecConcurrency(t *testing.T) {
	for _, tc := range []struct {
		workers int
		atLeast time.Duration
	}{
		{1, 8 * 20 * time.Millisecond},
		{2, 4 * 20 * time.Millisecond},
	} {
		e, err := NewExec(tc.workers)
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.Run(context.Background(), Job{N: 8, Spec: spec("nap")})
		if err != nil {
			t.Fatal(err)
		}
		if b.Wall < tc.atLeast {
			t.Errorf("workers=%d: 8 naps of 20ms took %v, want at least %v", tc.workers, b.Wall, tc.atLeast)
		}
	}
}

// TestExecStall: a task that sends nothing for the stall time has its
// process killed, and fails with a StallError naming it.
func TestExecStall(t *testing.T) {
	e, err := NewExec(2)
	if err != nil {
		t.Fatal(err)
	}
	e.stallWait = 500 * time.Millisecond
	_, err = runWithin(t, 20*time.Second, context.Background(), e, Job{N: 4, Spec: spec("hang", "at=2")})
	var se *StallError
	var te *TaskError
	if !errors.As(err, &se) || !errors.As(err, &te) || te.Index != 2 || se.Task != 2 {
		t.Fatalf("err = %v, want a StallError for task 2", err)
	}
	if running(se.PID) {
		t.Errorf("the stalled process %d still runs", se.PID)
	}
}

func TestExecEntry(t *testing.T) {
	e, err := Lookup("exec")
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.New(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name() != "exec" || m.(*Exec).Workers() != 2 {
		t.Errorf("built %s with %d workers, want exec with 2", m.Name(), m.(*Exec).Workers())
	}
	if _, err := e.New(Options{Workers: MaxProcessWorkers + 1}); err == nil || !strings.Contains(err.Error(), "workers=1025") {
		t.Errorf("workers=1025: err = %v, want one naming it", err)
	}
}
