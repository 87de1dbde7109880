// Command soak is issue 12's long run (make soak; not part of make test): the real CLI,
// `llmchaos run`, plays a steady scenario of streamed chat completions (bench/soak/
// scenario.yaml.tmpl) through its embedded Toxiproxy and in-process mocks against the
// reference gateway, while a standalone `llmchaos mock llm` process with a bounded journal
// gets the same rate from this program. Every SOAK_SAMPLE_EVERY it prints the resident
// memory (VmRSS) of the harness, the app and the standalone mock, and the mock's journal;
// at the end it checks that the report reads back and renders (JSON, HTML, `llmchaos
// report -o`), that the mock's journal kept exactly its newest --journal-limit attempts,
// and that the mock's memory stopped growing once its journal was full.
//
//	go run ./bench/soak -llmchaos bin/llmchaos -gateway bin/gateway [-out chaos-report-soak]
//	SOAK_DURATION=1m SOAK_RATE=500 go run ./bench/soak ...   (a trial)
//
// It exits 0 when every check held, 1 when one failed, 2 on bad settings.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(soak()) }

func soak() int {
	bin := flag.String("llmchaos", "bin/llmchaos", "the llmchaos binary")
	gateway := flag.String("gateway", "bin/gateway", "the reference gateway's binary (examples/gateway)")
	out := flag.String("out", "chaos-report-soak", "the run's report folder")
	flag.Parse()
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := runSoak(ctx, cfg, *bin, *gateway, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		return 1
	}
	if failures := res.check(cfg); len(failures) > 0 {
		fmt.Println("\nFAILED:\n  " + strings.Join(failures, "\n  "))
		return 1
	}
	fmt.Println("\nsoak: every check held")
	return 0
}

// result is what one soak saw.
type result struct {
	rows     []row
	final    row // the mock after its client stopped
	wall     time.Duration
	runExit  int
	report   *reportCheck
	runLog   string
	loadAvg  string
	settings string
}

// runSoak starts the standalone mock and its client, runs `llmchaos run` on the soak
// scenario, samples until it ends, then stops the mock's client and checks the report.
func runSoak(ctx context.Context, cfg config, bin, gateway, out string) (*result, error) {
	tmp, err := os.MkdirTemp("", "llmchaos-soak-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	gw, err := filepath.Abs(gateway)
	if err != nil {
		return nil, err
	}
	scenario, err := writeScenario(tmp, scenarioData{Rate: cfg.Rate, Duration: cfg.Duration, Gateway: gw, Words: cfg.Words})
	if err != nil {
		return nil, err
	}
	words := "the mocks' default words"
	if cfg.Words > 0 {
		words = fmt.Sprintf("%d words", cfg.Words)
	}
	res := &result{loadAvg: loadAvg(), settings: fmt.Sprintf("%v at %d requests/s (streamed, %s), samples every %v, standalone mock at %d/s with --journal-limit %d",
		cfg.Duration, cfg.Rate, words, cfg.SampleEvery, cfg.MockRate, cfg.MockJournal)}
	fmt.Printf("soak: %s; load average before: %s\n", res.settings, res.loadAvg)
	mock, err := startMock(ctx, bin, cfg.MockJournal, cfg.Words)
	if err != nil {
		return nil, err
	}
	defer func() { _ = mock.Stop() }()
	var counts clientCounts
	clientCtx, stopClient := context.WithCancel(ctx)
	clientDone := make(chan struct{})
	go func() { driveMock(clientCtx, mock.URL, cfg.MockRate, &counts); close(clientDone) }()
	defer func() { stopClient(); <-clientDone }()

	res.runLog = filepath.Join(tmp, "run.log")
	cmd, log, err := startRun(ctx, bin, out, scenario, res.runLog, cfg.MemProfile)
	if err != nil {
		return nil, err
	}
	s := &sampler{begin: time.Now(), harness: cmd.Process.Pid, app: filepath.Base(gw), mock: mock, counts: &counts, out: os.Stdout}
	fmt.Println(header)
	done := make(chan struct{})
	var runErr error
	go func() { runErr = cmd.Wait(); log.Close(); close(done) }()
	s.take(ctx)
	s.until(ctx, cfg.SampleEvery, done)
	res.wall = time.Since(s.begin)
	res.runExit = exitCodeOf(runErr)
	stopClient()
	<-clientDone
	mock.Settle(ctx)
	fmt.Println("(the last row: after the run ended and the mock's client stopped)")
	res.final = s.take(ctx)
	res.rows = s.rows[:len(s.rows)-1]
	if log, err := os.ReadFile(res.runLog); err == nil {
		res.runLog = lastLines(string(log), 15)
	}
	if res.runExit != 0 && res.runExit != 1 {
		return res, fmt.Errorf("llmchaos run ended with exit %d (no verdict):\n%s", res.runExit, res.runLog)
	}
	res.report, err = checkReport(ctx, bin, out, filepath.Join(tmp, "rerender"))
	return res, err
}

// startRun starts `llmchaos run` on the scenario, its output to logPath; on ctx's end it
// is interrupted as Ctrl-C does, so it writes its partial report and stops the app. With
// memProfile it writes its heap profile there when the load ends (--memprofile).
func startRun(ctx context.Context, bin, out, scenario, logPath, memProfile string) (*exec.Cmd, *os.File, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	args := []string{"run", "--progress", "plain", "--parallel", "1", "--out", out}
	if memProfile != "" {
		args = append(args, "--memprofile", memProfile)
	}
	cmd := exec.CommandContext(ctx, bin, append(args, scenario)...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, nil, fmt.Errorf("start llmchaos run: %w", err)
	}
	return cmd, log, nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
