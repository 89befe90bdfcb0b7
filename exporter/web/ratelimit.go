package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// writeLimiter bounds the write requests (uploads, ingest triggers,
// reloads) of each client address with a token bucket, so that a client
// guessing credentials, or stuck in a retry loop, cannot keep the
// exporter parsing workbooks and checking bcrypt hashes. Scrapes and the
// other reads are never limited. Behind a reverse proxy every request
// comes from the proxy's address: limit there instead.
type writeLimiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	clients map[string]*writeClient
}

type writeClient struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxWriteClients bounds the addresses remembered; idle ones, whose
// bucket has refilled, are forgotten first.
const maxWriteClients = 10_000

// newWriteLimiter allows perSecond write requests per client address, in
// bursts of up to max(10, perSecond); nil (no limit) when perSecond <= 0.
func newWriteLimiter(perSecond float64) *writeLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &writeLimiter{
		rate: rate.Limit(perSecond), burst: max(10, int(math.Ceil(perSecond))),
		now: time.Now, clients: map[string]*writeClient{},
	}
}

// allow takes a token of addr's bucket, or says how long until one is there.
func (l *writeLimiter) allow(addr string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.clients[addr]
	if !ok {
		if len(l.clients) >= maxWriteClients {
			l.forget(now)
		}
		c = &writeClient{lim: rate.NewLimiter(l.rate, l.burst)}
		l.clients[addr] = c
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// forget drops the clients whose bucket is full again (forgetting them
// changes nothing), and if none is, any one.
func (l *writeLimiter) forget(now time.Time) {
	refill := time.Duration(float64(l.burst) / float64(l.rate) * float64(time.Second))
	for addr, c := range l.clients {
		if now.Sub(c.seen) > refill {
			delete(l.clients, addr)
		}
	}
	for addr := range l.clients {
		if len(l.clients) < maxWriteClients {
			break
		}
		delete(l.clients, addr)
	}
}

// wrap limits a write handler; a nil limiter limits nothing.
func (l *writeLimiter) wrap(next http.HandlerFunc) http.HandlerFunc {
	if l == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		addr := r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		if ok, wait := l.allow(addr); !ok {
			secs := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeError(w, r, http.StatusTooManyRequests, jkn.Msgf("too many write requests from %s: retry in %s s", addr, strconv.Itoa(secs)))
			return
		}
		next(w, r)
	}
}
