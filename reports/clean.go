package reports

import (
	"reflect"
	"time"
)

// Clean returns deep copies of reps in which every string, map keys included, went
// through red.Clean (secrets redacted, control characters escaped); a nil red is
// DefaultRedactor(). Every renderer and WriteAll call it, so a report read from a file
// (edited, or written by another tool) is redacted and escaped again however it was
// made: redaction belongs to rendering, not only to Build. reps are not changed.
func Clean(reps []*Report, red *Redactor) []*Report {
	if red == nil {
		red = DefaultRedactor()
	}
	out := make([]*Report, len(reps))
	for i, r := range reps {
		if r != nil {
			out[i] = cleanCopy(r, red)
		}
	}
	return out
}

// DefaultRedactor is the Redactor renderers use when given none: the credential shapes
// only, no literal values.
func DefaultRedactor() *Redactor { return NewRedactor() }

// cleanCopy returns a deep copy of *v with every string cleaned.
func cleanCopy[T any](v *T, red *Redactor) *T {
	c := cleanValue(reflect.ValueOf(v).Elem(), red).Interface().(T)
	return &c
}

var timeType = reflect.TypeFor[time.Time]()

// cleanValue copies v, cleaning strings, through pointers, slices, maps and exported
// struct fields; other values (numbers, booleans, times) are copied as they are.
func cleanValue(v reflect.Value, red *Redactor) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(red.Clean(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(cleanValue(v.Elem(), red))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(cleanValue(v.Index(i), red))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(cleanValue(it.Key(), red), cleanValue(it.Value(), red))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		if v.Type() == timeType {
			return out
		}
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(cleanValue(v.Field(i), red))
			}
		}
		return out
	}
	return v
}

// cleanSummary is Clean for a summary (nil stays nil).
func cleanSummary(sum *Summary, red *Redactor) *Summary {
	if sum == nil {
		return nil
	}
	if red == nil {
		red = DefaultRedactor()
	}
	return cleanCopy(sum, red)
}
