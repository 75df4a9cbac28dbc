using Pipeline.Eval.Results;
using Pipeline.Tests.Shared;
using Pipeline.Workers.Tests.Ml;

namespace Pipeline.Workers.Tests.Eval;

/// <summary>The eval chain as CI runs it, as real processes: generate the demo dataset, evaluate a (barely trained)
/// model on the shipped suites, gate it with a shipped policy — and bad input exits 2 naming the file and line.</summary>
public sealed class EvalRunCliTests() : MlCliTest("eval-run-cli-")
{
    [Fact]
    public async Task EvalRun_ThenGateCheck_WritesTheRunAndBlocksAModelThatDidNotImprove()
    {
        await TinyBaseAsync();

        var output = await RunOkAsync("eval", "run", "--model", P("base"), "--suites", RepoRoot.Combine("eval", "suites", "demo.yaml"), "--data", P("data"),
            "--out", P("run"), "--limit", "12", "--bootstrap-samples", "50");

        var report = EvalReport.Load(P("run"));
        Assert.Equal(["in_domain", "ood", "refusal", "calibration", "golden", "heldout_text"], report.Suites.Select(s => s.Name));
        Assert.Equal(("arith-demo", "v1"), (report.Dataset!.Name, report.Dataset.Version));
        Assert.All(report.Suites, s => Assert.Equal(0, s.Metrics["contamination_rate"].Value));
        Assert.Equal(12, report.Suite("in_domain")!.Examples);
        Assert.Contains("in_domain", output);
        Assert.True(File.Exists(P("run/contamination.json")));
        Assert.Contains("<svg", File.ReadAllText(P("run/report.html")));
        Assert.Contains("in_domain", File.ReadAllText(P("run/report.md")));

        // Against itself nothing is lifted: gate 1 must block (exit 1), not error.
        var (code, gate) = await RunAsync("gate", "check", "--candidate", P("run"), "--baseline", P("run"),
            "--policy", RepoRoot.Combine("eval", "policies", "post-sft.yaml"), "--out", P("gate"));
        Assert.True(code == 1, gate);
        Assert.True(File.Exists(P("gate/decision.json")));
    }

    [Fact]
    public async Task EvalRun_MalformedSuiteOrDatasetLine_ExitsTwoNamingFileAndLine()
    {
        await TinyBaseAsync();
        File.WriteAllText(P("bad.yaml"), "suites:\n  - name: a\n    dataset: eval/in_domain.jsonl\n    metrics: [accuracy, bleu]\n");
        var (code, output) = await RunAsync("eval", "run", "--model", P("base"), "--suites", P("bad.yaml"), "--data", P("data"), "--out", P("x"));
        Assert.True(code == 2, output);
        Assert.Contains($"{P("bad.yaml")}:4: suites[0].metrics: unknown metric \"bleu\"", output);

        File.AppendAllText(P("data/eval/golden.jsonl"), "{\"id\": \"g-bad\", \"prompt\": [{\"role\": \"user\", \"content\": \"What is 1 + 1?\"}], \"answer\": \"two\"}\n");
        (code, output) = await RunAsync("eval", "run", "--model", P("base"), "--suites", RepoRoot.Combine("eval", "suites", "demo.yaml"), "--data", P("data"),
            "--suite", "golden", "--out", P("y"), "--no-contamination");
        Assert.True(code == 2, output);
        Assert.Contains("golden.jsonl:61: answer \"two\" is not an integer", output);
        Assert.DoesNotContain("   at ", output);
    }

    // The demo dataset (a small corpus), a character-level tokenizer, and a base model pretrained for a few steps:
    // enough for every suite to run end to end, not to answer anything.
    private async Task TinyBaseAsync()
    {
        await RunOkAsync("dataset", "generate", "--version", "v1", "--out", P("data"), "--corpus-lines", "2000");
        await RunOkAsync("ml", "tokenizer", "train", "--corpus", P("data/corpus/pretrain.txt"), "--vocab-size", "260", "--out", P("tokenizer.json"));
        File.WriteAllText(P("config.json"), """
            {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 192, "tie_word_embeddings": true}
            """);
        await RunOkAsync("ml", "train", "pretrain", "--corpus", P("data/corpus/pretrain.txt"), "--tokenizer", P("tokenizer.json"),
            "--config", P("config.json"), "--out", P("base"), "--max-steps", "3", "--batch-size", "4", "--seq-len", "32", "--threads", "2");
    }
}
