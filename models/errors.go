package models

import "fmt"

// A TaskError reports the first task that failed in a batch.
type TaskError struct {
	Index int
	Err   error
}

func (e *TaskError) Error() string { return fmt.Sprintf("task %d: %v", e.Index, e.Err) }
func (e *TaskError) Unwrap() error { return e.Err }

// A PanicError is a panic recovered from a task, with the stack where it
// happened.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v\n\n%s", e.Value, e.Stack) }

// errZero is what Run returns for the zero value of a model that must be
// built by its constructor, instead of blocking or panicking.
func errZero(model, constructor string) error {
	return fmt.Errorf("a zero %s cannot run tasks: build it with models.%s", model, constructor)
}
