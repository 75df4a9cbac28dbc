using Pipeline.Eval.Suites;
using Pipeline.Tests.Shared;

namespace Pipeline.Eval.Tests.Suites;

public sealed class SuiteFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("suites-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("demo.yaml", 6)]
    [InlineData("demo-preference.yaml", 1)]
    [InlineData("demo-base.yaml", 2)]
    public void Load_ShippedDemoSuites_Parse(string file, int count)
    {
        var suites = SuiteFile.Load(Path.Combine(RepoRoot.Path, "eval", "suites", file));
        Assert.Equal(count, suites.Count);
        Assert.All(suites, s => Assert.NotEmpty(s.Metrics));
    }

    [Fact]
    public void Load_SingleSuiteAtTopLevel_ReadsEveryField()
    {
        var s = Assert.Single(SuiteFile.Load(Write("one.yaml", """
            name: raw
            axis: in_domain
            dataset: eval/raw.jsonl
            generation: {max_new_tokens: 8, temperature: 0.5, top_k: 4, top_p: 0.9, seed: 3, batch_size: 16, stop: ["\n"]}
            normalizer: [last_integer]
            refusal_phrases: ["No way"]
            limit: 10
            confidence: answer
            metrics: [accuracy, exact_match]
            """)));
        Assert.Equal(("raw", "in_domain", SuiteTask.Generate, "eval/raw.jsonl"), (s.Name, s.Axis, s.Task, s.Dataset));
        Assert.Equal(new GenerationSettings { MaxNewTokens = 8, Temperature = 0.5, TopK = 4, TopP = 0.9, Seed = 3, BatchSize = 16, Stop = s.Generation.Stop },
            s.Generation);
        Assert.Equal(["\n"], s.Generation.Stop);
        Assert.Equal(["last_integer"], s.Normalizer);
        Assert.Equal(["No way"], s.RefusalPhrases);
        Assert.Equal(10, s.Limit);
        Assert.Equal(ConfidenceKind.Answer, s.Confidence);
        Assert.EndsWith("one.yaml:1", s.DeclaredAt);
    }

    [Theory]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    metric: [accuracy]\n", ":4: suites[0].metric: unknown field")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    metrics: [accuracy, bleu]\n", ":4: suites[0].metrics: unknown metric \"bleu\"")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    task: perplexity\n    metrics: [accuracy]\n", ":5: suites[0].metrics: a perplexity suite cannot report \"accuracy\"")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    task: chat\n    metrics: [accuracy]\n", ":4: suites[0].task: expected generate, perplexity or preference")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    generation: {max_new_tokens: 0}\n    metrics: [accuracy]\n", ":4: suites[0].generation.max_new_tokens: expected ≥ 1")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    generation: {max_new_tokens: many}\n    metrics: [accuracy]\n", ":4: suites[0].generation.max_new_tokens: expected an integer, found \"many\"")]
    [InlineData("suites:\n  - name: A b\n    dataset: x.jsonl\n    metrics: [accuracy]\n", ":2: suites[0].name: expected lowercase letters")]
    [InlineData("suites:\n  - name: a\n    metrics: [accuracy]\n", ":2: suites[0].dataset: required field is missing")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    normalizer: [shout]\n    metrics: [accuracy]\n", ":4: suites[0].normalizer: ")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    metrics: [accuracy]\n    limit: 0\n", ":5: suites[0].limit: expected a number of rows ≥ 1")]
    [InlineData("suites:\n  - name: a\n    dataset: x.jsonl\n    confidence: vibes\n    metrics: [ece]\n", ":4: suites[0].confidence: expected sequence or answer, found \"vibes\"")]
    [InlineData("suites:\n  - name: a\n    dataset: [x\n", ":4: not valid YAML")]
    public void Load_MalformedSuite_NamesFileLineAndField(string yaml, string expected)
    {
        var path = Write("bad.yaml", yaml);
        var e = Assert.Throws<EvalFormatException>(() => SuiteFile.Load(path));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_FolderWithOneNameTwice_NamesBothPlaces()
    {
        Write("a.yaml", "name: s\ndataset: x.jsonl\nmetrics: [accuracy]\n");
        Write("b.yaml", "name: s\ndataset: y.jsonl\nmetrics: [accuracy]\n");
        var e = Assert.Throws<EvalFormatException>(() => SuiteFile.Load(dir));
        Assert.Contains("b.yaml:1: suite name 's' is declared twice (first at ", e.Message);
        Assert.Contains("a.yaml:1", e.Message);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
