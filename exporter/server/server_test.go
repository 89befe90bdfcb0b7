package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serve runs h under l on a loopback listener until the test ends and
// returns its address.
func serve(t *testing.T, l Limits, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := l.Server(h)
	go func() { _ = srv.Serve(l.Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// dial connects with a small receive buffer, so that what the client does
// not read soon holds the server's writes up.
func dial(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
		return errors.Join(err, serr)
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.TCPConn)
}

// within waits for a result, failing the test if none comes: a liveness
// guard, not a measurement.
func within[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: nothing after 30 s", what)
		var zero T
		return zero
	}
}

// bigWriter writes size bytes in one Write, as the exposition's stored
// text is written, and reports how the write ended.
func bigWriter(size int, result chan<- error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		_, err := w.Write(bytes.Repeat([]byte("x"), size))
		result <- err
	})
}

func TestWriteTimeoutCutsAClientThatStopsReading(t *testing.T) {
	result := make(chan error, 1)
	addr := serve(t, Limits{WriteTimeout: 300 * time.Millisecond}, bigWriter(64<<20, result))
	c := dial(t, addr)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	// The client reads nothing: the server's write must give up.
	err := within(t, "the stalled write", result)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("write to a client that reads nothing: %v, want a timeout", err)
	}
}

// TestWriteTimeoutIsPerWrite reads a 6 MiB response slowly, 128 KiB every
// 50 ms: it takes well over the write timeout, and arrives whole, because
// the deadline follows each write's progress rather than bounding the
// whole response (a national exposition is 180-240 MB).
func TestWriteTimeoutIsPerWrite(t *testing.T) {
	const size = 6 << 20
	timeout := time.Second
	result := make(chan error, 1)
	addr := serve(t, Limits{WriteTimeout: timeout}, bigWriter(size, result))
	c := dial(t, addr)
	start := time.Now()
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	buf := make([]byte, 128<<10)
	for {
		m, err := io.ReadFull(resp.Body, buf)
		n += m
		if err != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n != size {
		t.Fatalf("read %d of %d bytes; the server's write ended with %v", n, size, <-result)
	}
	if err := within(t, "the write", result); err != nil {
		t.Errorf("write: %v", err)
	}
	if took := time.Since(start); took <= timeout {
		t.Fatalf("read in %v, not slower than the write timeout %v: the test shows nothing", took, timeout)
	}
}

// bodyReader reads the whole body and reports how much came and how the
// reading ended.
type bodyResult struct {
	n   int
	err error
}

func bodyReader(result chan<- bodyResult) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(r.Body)
		result <- bodyResult{len(data), err}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)
}

func TestBodyTimeoutCutsAStalledBody(t *testing.T) {
	result := make(chan bodyResult, 1)
	addr := serve(t, Limits{BodyTimeout: 300 * time.Millisecond, MinBodyRate: 1}, bodyReader(result))
	c := dial(t, addr)
	fmt.Fprintf(c, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789")
	r := within(t, "the stalled body", result)
	if r.n != 10 || !isTimeout(r.err) {
		t.Fatalf("stalled body: %d bytes, %v; want 10 and a timeout", r.n, r.err)
	}
	// And the connection is closed, not kept for another request.
	closed := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, c); closed <- err }()
	_ = within(t, "the connection's close", closed) // closed: EOF or a reset, either will do
}

// TestMinBodyRateCutsADrip sends a body a byte every 100 ms, each pause
// well inside the body timeout: the minimum rate cuts it long before it
// is in.
func TestMinBodyRateCutsADrip(t *testing.T) {
	result := make(chan bodyResult, 1)
	addr := serve(t, Limits{BodyTimeout: 500 * time.Millisecond, MinBodyRate: 100}, bodyReader(result))
	c := dial(t, addr)
	const size = 200 // 20 s at this pace
	fmt.Fprintf(c, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for i := 0; i < size && ctx.Err() == nil; i++ {
			if _, err := c.Write([]byte{'x'}); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	r := within(t, "the dripping body", result)
	if r.n >= size || !isTimeout(r.err) {
		t.Fatalf("drip: %d of %d bytes, %v; want it cut with a timeout", r.n, size, r.err)
	}
}

// TestSlowUploadAtTheRateCompletes sends 512 KiB in 16 KiB pieces every
// 50 ms: longer than the body timeout in all, above the minimum rate, and
// read whole.
func TestSlowUploadAtTheRateCompletes(t *testing.T) {
	timeout := 300 * time.Millisecond
	result := make(chan bodyResult, 1)
	addr := serve(t, Limits{BodyTimeout: timeout, MinBodyRate: 64 << 10}, bodyReader(result))
	c := dial(t, addr)
	const size = 512 << 10
	start := time.Now()
	fmt.Fprintf(c, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
	piece := bytes.Repeat([]byte("x"), 16<<10)
	for sent := 0; sent < size; sent += len(piece) {
		if _, err := c.Write(piece); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	r := within(t, "the upload", result)
	if r.n != size || r.err != nil {
		t.Fatalf("upload: %d of %d bytes, %v", r.n, size, r.err)
	}
	if took := time.Since(start); took <= timeout {
		t.Fatalf("sent in %v, not slower than the body timeout: the test shows nothing", took)
	}
}

// TestBodyDeadlineEndsWithTheBody: a handler that works on after reading
// its body (an upload is parsed, stored and ingested) keeps its context
// past the body timeout, and its answer reaches the client.
func TestBodyDeadlineEndsWithTheBody(t *testing.T) {
	timeout := 200 * time.Millisecond
	ctxErr := make(chan error, 1)
	addr := serve(t, Limits{BodyTimeout: timeout, MinBodyRate: 1}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			t.Errorf("body: %v", err)
		}
		// Readers may ask again after the end (multipart does).
		if _, err := r.Body.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("read after the end: %v", err)
		}
		time.Sleep(3 * timeout)
		ctxErr <- r.Context().Err()
		fmt.Fprintln(w, "stored")
	}))
	resp, err := http.Post("http://"+addr+"/", "application/octet-stream", strings.NewReader("workbook"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := within(t, "the handler", ctxErr); err != nil {
		t.Errorf("request context after the body timeout: %v", err)
	}
	if resp.StatusCode != 200 || string(body) != "stored\n" {
		t.Errorf("answer: %d %q", resp.StatusCode, body)
	}
}

// TestMaxConnections: with two connections held, a third is not served
// until one of them closes.
func TestMaxConnections(t *testing.T) {
	addr := serve(t, Limits{MaxConnections: 2}, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	}))
	held := []*net.TCPConn{dial(t, addr), dial(t, addr)}
	for _, c := range held { // served: each takes its slot
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
			t.Fatal(err)
		}
	}
	third := dial(t, addr)
	fmt.Fprintf(third, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	answered := make(chan error, 1)
	go func() {
		_, err := http.ReadResponse(bufio.NewReader(third), nil)
		answered <- err
	}()
	select {
	case err := <-answered:
		t.Fatalf("a third connection was served past the limit of 2 (%v)", err)
	case <-time.After(500 * time.Millisecond):
	}
	held[0].Close()
	if err := within(t, "the third connection", answered); err != nil {
		t.Fatalf("third connection after one closed: %v", err)
	}
}

// TestRequestFraming pins Go's own handling of a request's length, which
// RELIABILITY.md documents for operators putting a proxy in front (it is
// not reimplemented here): Transfer-Encoding chunked wins over a
// Content-Length, which is dropped; any other transfer coding is 501;
// differing Content-Lengths are 400; HTTP/1.0 ignores Transfer-Encoding.
func TestRequestFraming(t *testing.T) {
	type seen struct {
		length int64
		body   string
	}
	got := make(chan seen, 1)
	addr := serve(t, Limits{BodyTimeout: 5 * time.Second, MinBodyRate: 1}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.ContentLength, string(b)}
	}))
	for _, c := range []struct {
		name, request string
		status        int
		want          *seen
	}{
		{"chunked and Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
			200, &seen{-1, "hello"}},
		{"gzip, chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501, nil},
		{"two Transfer-Encodings", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, nil},
		{"differing Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nhello", 400, nil},
		{"HTTP/1.0 with chunked", "POST / HTTP/1.0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello", 200, &seen{5, "hello"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn := dial(t, addr)
			if _, err := io.WriteString(conn, c.request); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("status %d, want %d", resp.StatusCode, c.status)
			}
			if c.want != nil {
				if s := within(t, "the handler", got); s != *c.want {
					t.Errorf("handler saw length %d, body %q; want %d, %q", s.length, s.body, c.want.length, c.want.body)
				}
			}
		})
	}
}

func TestMaxHeaderBytes(t *testing.T) {
	addr := serve(t, Limits{MaxHeaderBytes: DefaultMaxHeaderBytes}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, c := range []struct {
		pad    int
		status int
	}{{8 << 10, 200}, {2 * DefaultMaxHeaderBytes, http.StatusRequestHeaderFieldsTooLarge}} {
		conn := dial(t, addr)
		fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\n\r\n", strings.Repeat("a", c.pad))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%d bytes of header: %d, want %d", c.pad, resp.StatusCode, c.status)
		}
	}
}
