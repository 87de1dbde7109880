package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/llmchaos/llmchaos/mocks/control"
	"github.com/llmchaos/llmchaos/mocks/llm"
	"github.com/llmchaos/llmchaos/mocks/store"
	"github.com/llmchaos/llmchaos/mocks/telemetry"
	"github.com/spf13/cobra"
)

const mockExample = `  llmchaos mock llm --listen 127.0.0.1:8080 --name primary
  curl -s 127.0.0.1:8080/v1/chat/completions -d '{"model":"m","messages":[{"role":"user","content":"hi"}]}'
  curl -s -XPOST 127.0.0.1:8080/_llmchaos/faults -d '{"type":"rate-limit","retry_after":"2s"}'
  curl -s 127.0.0.1:8080/_llmchaos/journal`

const mockLong = `Serve a mock upstream on its own, with its admin API under /_llmchaos/ (faults,
journal), over HTTP/1.1 and HTTP/2 cleartext on the same port.

llm serves every provider surface on its own paths:
  OpenAI        POST /v1/chat/completions, /v1/responses
  Anthropic     POST /v1/messages
  Gemini        POST /v1beta/models/{model}:generateContent, :streamGenerateContent[?alt=sse]
  Azure OpenAI  POST /openai/deployments/{deployment}/chat/completions?api-version=...,
                     /openai/v1/chat/completions
  Bedrock       POST /model/{modelId}/converse, /model/{modelId}/converse-stream`

// mockFlags is what llmchaos mock's flags say.
type mockFlags struct {
	listen      string
	allowRemote bool
	cfg         mockConfig
}

func newMockCmd() *cobra.Command {
	var f mockFlags
	cmd := &cobra.Command{
		Use:       "mock llm|telemetry|store [flags]",
		Short:     "serve a mock upstream (llm, telemetry, store) on its own",
		Long:      mockLong,
		Example:   mockExample,
		ValidArgs: []string{"llm", "telemetry", "store"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				writeHelp(cmd.ErrOrStderr(), cmd)
				return exitCode(exitBadInput)
			}
			if len(args) > 1 {
				fmt.Fprintf(cmd.ErrOrStderr(), "llmchaos mock: want one kind (llm, telemetry or store), got %q\n", args)
				return exitCode(exitBadInput)
			}
			f.cfg.kind = args[0]
			return result(cmdMock(cmd.Context(), &f, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to serve on (loopback unless --allow-remote)")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --listen address (the admin API has no authentication)")
	fs.StringVar(&f.cfg.name, "name", "", "upstream name the mock answers as (default: primary, collector or store)")
	fs.Int64Var(&f.cfg.seed, "seed", llm.DefaultSeed, "llm: seed of the deterministic answers")
	fs.IntVar(&f.cfg.words, "words", llm.DefaultAnswerWords, "llm: words in each answer")
	fs.DurationVar(&f.cfg.ttft, "ttft", 0, "llm: delay before the first token")
	fs.DurationVar(&f.cfg.tokenDelay, "token-delay", 0, "llm: delay between tokens")
	fs.IntVar(&f.cfg.journalLimit, "journal-limit", control.DefaultMaxJournal,
		"attempts the journal keeps: past it the oldest are dropped and counted (GET /_llmchaos/info), about 150 bytes each")
	fs.IntVar(&f.cfg.maxUsers, "max-users", store.DefaultMaxUsers,
		"store: users whose histories it keeps: past it the user stored longest ago is forgotten")
	return cmd
}

func cmdMock(ctx context.Context, f *mockFlags, stdout, stderr io.Writer) int {
	kind := f.cfg.kind
	if f.cfg.maxUsers < 1 {
		fmt.Fprintf(stderr, "llmchaos mock: --max-users %d: want at least 1 (default %d)\n", f.cfg.maxUsers, store.DefaultMaxUsers)
		return exitBadInput
	}
	if f.cfg.journalLimit < 1 {
		fmt.Fprintf(stderr, "llmchaos mock: --journal-limit %d: want at least 1 (default %d)\n", f.cfg.journalLimit, control.DefaultMaxJournal)
		return exitBadInput
	}
	if err := checkLoopback(f.listen, f.allowRemote); err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitBadInput
	}
	h, closer, err := buildMock(f.cfg)
	if err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitBadInput
	}
	defer closer()
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(stderr, "llmchaos mock: listen on %s: %v\n", f.listen, err)
		return exitCannotRun
	}
	fmt.Fprintf(stdout, "llmchaos mock %s serving on http://%s (admin API under %s; Ctrl-C stops)\n", kind, ln.Addr(), control.AdminPrefix)
	if err := control.Serve(ctx, ln, h); err != nil {
		fmt.Fprintln(stderr, "llmchaos mock:", err)
		return exitCannotRun
	}
	return exitOK
}

// mockConfig is what the mock command's flags set.
type mockConfig struct {
	kind, name       string
	seed             int64
	words            int
	ttft, tokenDelay time.Duration
	journalLimit     int
	maxUsers         int
}

func buildMock(c mockConfig) (http.Handler, func(), error) {
	switch c.kind {
	case "llm":
		opts := []llm.Option{llm.WithSeed(c.seed), llm.WithAnswerWords(c.words), llm.WithTTFT(c.ttft), llm.WithTokenDelay(c.tokenDelay)}
		if c.name != "" {
			opts = append(opts, llm.WithName(c.name))
		}
		s, err := llm.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		s.Journal().SetLimit(c.journalLimit)
		return control.WithAdmin(s), func() {}, nil
	case "telemetry":
		var opts []telemetry.Option
		if c.name != "" {
			opts = append(opts, telemetry.WithName(c.name))
		}
		col, err := telemetry.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		col.Journal().SetLimit(c.journalLimit)
		return col.Handler(), func() { _ = col.Close() }, nil
	case "store":
		opts := []store.Option{store.WithMaxUsers(c.maxUsers)}
		if c.name != "" {
			opts = append(opts, store.WithName(c.name))
		}
		st, err := store.New(opts...)
		if err != nil {
			return nil, nil, err
		}
		st.Journal().SetLimit(c.journalLimit)
		return st.Handler(), func() { _ = st.Close() }, nil
	default:
		return nil, nil, fmt.Errorf("unknown mock %q: llm, telemetry or store", c.kind)
	}
}

// checkLoopback refuses a non-loopback listen address unless allowed.
func checkLoopback(addr string, allow bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w (want host:port, e.g. 127.0.0.1:8080)", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--listen %q: port %q is not a port number (0-65535; 0 picks a free one)", addr, port)
	}
	if allow {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--listen %q is not a loopback address; the admin API has no authentication (add --allow-remote if you mean it)", addr)
}
