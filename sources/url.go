package sources

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// URL is a workbook a branch office publishes over HTTP(S). It asks with
// the validators of the last good response (ETag, Last-Modified), so an
// unchanged workbook costs one 304, and retries failures with backoff.
// Secrets are read from files at each fetch and never logged.
type URL struct {
	SourceName string
	URL        string
	Timeout    time.Duration
	Retries    int
	// MaxBytes bounds the body; a larger workbook is an error. 0: no limit.
	MaxBytes int64
	// Credentials: at most one of basic auth and bearer token.
	Username, PasswordFile string
	BearerTokenFile        string
	CAFile                 string
	// Backoff is the wait before the first retry, doubled for each next one.
	Backoff time.Duration

	mu   sync.Mutex
	last *File // the last workbook fetched, served again on 304
	etag string
	mod  string
}

// Name implements Source.
func (u *URL) Name() string { return u.SourceName }

// ErrTooLarge is returned for a body over MaxBytes.
var ErrTooLarge = errors.New("workbook over the size limit")

// Fetch implements Source.
func (u *URL) Fetch(ctx context.Context) ([]File, error) {
	client, err := u.client()
	if err != nil {
		return nil, err
	}
	backoff := u.Backoff
	if backoff == 0 {
		backoff = time.Second
	}
	var lastErr error
	for attempt := 0; attempt <= u.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(backoff):
			}
			backoff *= 2
		}
		f, retry, err := u.fetchOnce(ctx, client)
		if err == nil {
			return []File{f}, nil
		}
		lastErr = err
		if !retry {
			break
		}
	}
	return nil, lastErr
}

func (u *URL) client() (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if u.CAFile != "" {
		pem, err := os.ReadFile(u.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s holds no PEM certificate", u.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	timeout := u.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

// fetchOnce makes one request; retry says whether a failure may pass.
func (u *URL) fetchOnce(ctx context.Context, client *http.Client) (File, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.URL, nil)
	if err != nil {
		return File{}, false, fmt.Errorf("building request: %w", err)
	}
	if err := u.authorize(req); err != nil {
		return File{}, false, err
	}
	u.mu.Lock()
	if u.last != nil {
		if u.etag != "" {
			req.Header.Set("If-None-Match", u.etag)
		}
		if u.mod != "" {
			req.Header.Set("If-Modified-Since", u.mod)
		}
	}
	u.mu.Unlock()
	resp, err := client.Do(req)
	if err != nil {
		return File{}, ctx.Err() == nil, fmt.Errorf("fetching %s: %w", RedactURL(u.URL), stripURL(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.last == nil {
			return File{}, false, fmt.Errorf("fetching %s: 304 Not Modified to an unconditional request", RedactURL(u.URL))
		}
		return *u.last, false, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return File{}, true, fmt.Errorf("fetching %s: HTTP %s", RedactURL(u.URL), resp.Status)
	case resp.StatusCode != http.StatusOK:
		return File{}, false, fmt.Errorf("fetching %s: HTTP %s", RedactURL(u.URL), resp.Status)
	}
	if u.MaxBytes > 0 && resp.ContentLength > u.MaxBytes {
		return File{}, false, fmt.Errorf("fetching %s: %w: %d bytes announced, limit %d", RedactURL(u.URL), ErrTooLarge, resp.ContentLength, u.MaxBytes)
	}
	body := io.Reader(resp.Body)
	if u.MaxBytes > 0 {
		body = io.LimitReader(resp.Body, u.MaxBytes+1)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return File{}, ctx.Err() == nil, fmt.Errorf("reading %s: %w", RedactURL(u.URL), stripURL(err))
	}
	if u.MaxBytes > 0 && int64(len(data)) > u.MaxBytes {
		return File{}, false, fmt.Errorf("fetching %s: %w: limit %d bytes", RedactURL(u.URL), ErrTooLarge, u.MaxBytes)
	}
	mod := time.Now()
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		mod = t
	}
	f := NewFile(fileName(u.URL), RedactURL(u.URL), mod, data)
	u.mu.Lock()
	u.last, u.etag, u.mod = &f, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	u.mu.Unlock()
	return f, false, nil
}

func (u *URL) authorize(req *http.Request) error {
	switch {
	case u.BearerTokenFile != "":
		tok, err := os.ReadFile(u.BearerTokenFile)
		if err != nil {
			return fmt.Errorf("reading bearer_token_file: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	case u.PasswordFile != "":
		pw, err := os.ReadFile(u.PasswordFile)
		if err != nil {
			return fmt.Errorf("reading basic_auth password_file: %w", err)
		}
		req.SetBasicAuth(u.Username, strings.TrimSpace(string(pw)))
	}
	return nil
}

// fileName names the fetched workbook after the URL's last path element.
func fileName(raw string) string {
	p, err := url.Parse(raw)
	if err != nil {
		return "download.xlsx"
	}
	name := path.Base(p.Path)
	if name == "." || name == "/" || name == "" {
		return "download.xlsx"
	}
	return name
}

// RedactURL drops credentials and any query string (it may carry a token) from a URL that is
// shown in logs and errors.
func RedactURL(raw string) string {
	p, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	p.User = nil
	if p.RawQuery != "" {
		p.RawQuery = "redacted"
	}
	return p.String()
}

// stripURL keeps the cause of a *url.Error without its URL, which the
// caller already printed redacted.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
