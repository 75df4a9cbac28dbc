using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Eval;

/// <summary>`pipeline eval contamination` as a user runs it: its exit code tells clean from contaminated from bad input.</summary>
public sealed class EvalContaminationCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eval-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Contamination_CleanThenLeakedThenMalformedTraining_Exits0Then1Then2()
    {
        var eval = Write("eval.jsonl",
            """{"id": "q1", "prompt": [{"role": "user", "content": "What is 83 - 6?"}], "answer": "77", "behavior": "answer"}""",
            """{"id": "q2", "prompt": [{"role": "user", "content": "What is 50 - 7?"}], "answer": "43", "behavior": "answer"}""");
        var clean = Write("clean.jsonl", """{"messages": [{"role": "user", "content": "What is 84 - 6?"}, {"role": "assistant", "content": "84 - 6 = 78."}]}""");
        var leaked = Write("leaked.jsonl", """{"messages": [{"role": "user", "content": "what is 83-6"}, {"role": "assistant", "content": "77"}]}""");
        var malformed = Write("malformed.jsonl", """{"messages": [""");

        var (cleanCode, cleanOut) = await RunAsync("eval", "contamination", "--train", clean, "--eval", eval);
        var (leakedCode, leakedOut) = await RunAsync("eval", "contamination", "--train", clean, leaked, "--eval", eval, "--out", Path.Combine(_dir, "report.json"));
        var (badCode, badOut) = await RunAsync("eval", "contamination", "--train", malformed, "--eval", eval);

        Assert.True(cleanCode == 0, cleanOut);
        Assert.True(leakedCode == 1, leakedOut);
        Assert.Contains("50.0 %", leakedOut);
        Assert.Contains($"{leaked}:1", leakedOut);
        Assert.True(File.Exists(Path.Combine(_dir, "report.json")));
        Assert.True(badCode == 2, badOut);
        Assert.Contains($"{malformed}:1: not valid JSON", badOut);
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private Task<(int Code, string Output)> RunAsync(params string[] args) =>
        PipelineProcess.RunAsync(Path.Combine(_dir, $"log-{Guid.NewGuid():N}.txt"), TimeSpan.FromMinutes(1), args);
}
