// Package server runs the exporter's HTTP server under limits no client
// can hold it open past: a cap on connections, and a deadline on every
// phase of a request (headers, body, response, keep-alive), set so that a
// slow but working client still uploads a 64 MiB workbook and reads a
// national exposition of any size.
package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/mdlayher/vsock"
	"github.com/prometheus/exporter-toolkit/web"
	"golang.org/x/net/netutil"
)

// Limits bound what one client can hold of the server. A zero duration
// or count leaves that bound off.
type Limits struct {
	// MaxConnections is the most connections open at once on each listen
	// address; more wait in the kernel's accept queue, holding no file
	// descriptor of the process (as Prometheus's --web.max-connections).
	MaxConnections int
	// ReadHeaderTimeout bounds reading the request line and headers from
	// the moment a connection is accepted or a keep-alive request begins,
	// and the TLS handshake: a connection that sends nothing, or its
	// headers a byte at a time, is closed after it.
	ReadHeaderTimeout time.Duration
	// BodyTimeout is the longest a request body may pause. Beyond it the
	// body must also keep up MinBodyRate on average, so that dripping a
	// byte now and then does not hold a connection either.
	BodyTimeout time.Duration
	MinBodyRate int64 // bytes per second
	// WriteTimeout is the longest a response may go without the client
	// taking writeChunk bytes of it (or the rest). It is per write, not for
	// the whole response, so a large exposition finishes however long it
	// takes a client that keeps reading.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers (over it: 431).
	MaxHeaderBytes int
}

// Defaults of the limits, the flags' defaults.
const (
	DefaultMaxConnections    = 512
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout       = 30 * time.Second
	// DefaultMinBodyRate lets a 64 MiB upload take four and a half hours:
	// 32 kbit/s, slower than any link an office uploads over.
	DefaultMinBodyRate    = 4 << 10
	DefaultWriteTimeout   = time.Minute
	DefaultIdleTimeout    = 2 * time.Minute
	DefaultMaxHeaderBytes = 64 << 10
)

// writeChunk is the most a response write may hand the connection under
// one deadline: at WriteTimeout's default, a client must take 1 KiB/s.
const writeChunk = 64 << 10

// Server returns an http.Server serving h under the limits. Its listeners
// must come through Listener (ListenAndServe does that), which puts the
// per-write deadlines in place.
func (l Limits) Server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           l.bodyDeadlines(h),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
		// ReadTimeout and WriteTimeout stay 0: whole-request deadlines
		// would cut a large upload or scrape on a slow link; the body and
		// the writes are bounded by their progress instead.
	}
}

// Listener caps the connections of a listener and bounds each write of
// its connections by WriteTimeout.
func (l Limits) Listener(ln net.Listener) net.Listener {
	if l.WriteTimeout > 0 {
		ln = &writeDeadlineListener{Listener: ln, timeout: l.WriteTimeout}
	}
	if l.MaxConnections > 0 {
		ln = netutil.LimitListener(ln, l.MaxConnections)
	}
	return ln
}

type writeDeadlineListener struct {
	net.Listener
	timeout time.Duration
}

func (l *writeDeadlineListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &writeDeadlineConn{Conn: c, timeout: l.timeout}, nil
}

// writeDeadlineConn gives each chunk of each write its own deadline. It
// sits below TLS, so the handshake's and every record's writes are bounded
// too; the server sets no write deadline of its own (WriteTimeout 0).
type writeDeadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *writeDeadlineConn) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), writeChunk)]
		if err := c.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
			return n, err
		}
		m, err := c.Conn.Write(chunk)
		n += m
		if err != nil {
			return n, err
		}
		p = p[m:]
	}
	return n, nil
}

// bodyDeadlines bounds the reading of request bodies (BodyTimeout,
// MinBodyRate).
func (l Limits) bodyDeadlines(h http.Handler) http.Handler {
	if l.BodyTimeout <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			b := &deadlineBody{ReadCloser: r.Body, rc: http.NewResponseController(w), start: time.Now(), l: l}
			// Set at once, not at the first Read: a body the handler leaves
			// unread is still bounded while the server drains it.
			if b.extend() == nil {
				r.Body = b
			}
		}
		h.ServeHTTP(w, r)
	})
}

// deadlineBody moves the connection's read deadline on as a body arrives:
// at most BodyTimeout from now, and no later than the body's start plus
// BodyTimeout plus what has arrived at MinBodyRate.
type deadlineBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	l     Limits
	n     int64
	done  bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if !b.done {
		if err := b.extend(); err != nil {
			return 0, err
		}
	}
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	// Once the body is in, no deadline is set again: the server then
	// reads on in the background (its deadline cleared) to notice the
	// client leaving, and a deadline passing would cancel the request's
	// context in the middle of its work.
	b.done = b.done || err == io.EOF
	return n, err
}

func (b *deadlineBody) extend() error {
	d := time.Now().Add(b.l.BodyTimeout)
	if b.l.MinBodyRate > 0 {
		earned := time.Duration(float64(b.n) / float64(b.l.MinBodyRate) * float64(time.Second))
		d = minTime(d, b.start.Add(b.l.BodyTimeout+earned))
	}
	err := b.rc.SetReadDeadline(d)
	if errors.Is(err, http.ErrNotSupported) {
		return nil // not on this connection: nothing to extend
	}
	return err
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// ListenAndServe is exporter-toolkit's web.ListenAndServe (the listen
// addresses, vsock:// addresses or systemd socket activation; TLS and
// basic auth from the web config) with every listener through
// l.Listener. srv should come from l.Server.
func ListenAndServe(srv *http.Server, flags *web.FlagConfig, l Limits, logger *slog.Logger) error {
	listeners, err := listen(flags, logger)
	if err != nil {
		return err
	}
	for i, ln := range listeners {
		listeners[i] = l.Listener(ln)
	}
	logger.Info("serving under limits", "max_connections", l.MaxConnections, "read_header_timeout", l.ReadHeaderTimeout,
		"body_timeout", l.BodyTimeout, "min_body_rate", l.MinBodyRate, "write_timeout", l.WriteTimeout, "idle_timeout", l.IdleTimeout)
	return web.ServeMultiple(listeners, srv, flags, logger)
}

// listen opens the listeners web.ListenAndServe would.
func listen(flags *web.FlagConfig, logger *slog.Logger) ([]net.Listener, error) {
	if flags == nil || flags.WebConfigFile == nil {
		return nil, web.ErrMissingFlag
	}
	if flags.WebSystemdSocket != nil && *flags.WebSystemdSocket {
		logger.Info("Listening on systemd activated listeners instead of port listeners.")
		listeners, err := activation.Listeners()
		if err != nil {
			return nil, err
		}
		if len(listeners) < 1 {
			return nil, errors.New("no socket activation file descriptors found")
		}
		return listeners, nil
	}
	if flags.WebListenAddresses == nil || len(*flags.WebListenAddresses) == 0 {
		return nil, web.ErrNoListeners
	}
	var listeners []net.Listener
	for _, address := range *flags.WebListenAddresses {
		ln, err := listenOne(address)
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return nil, err
		}
		listeners = append(listeners, ln)
	}
	return listeners, nil
}

func listenOne(address string) (net.Listener, error) {
	if !strings.HasPrefix(address, "vsock://") {
		return net.Listen("tcp", address)
	}
	u, err := url.Parse(address)
	if err != nil {
		return nil, err
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return nil, err
	}
	p, err := strconv.ParseUint(port, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("vsock port %q: %w", port, err)
	}
	return vsock.Listen(uint32(p), nil)
}
