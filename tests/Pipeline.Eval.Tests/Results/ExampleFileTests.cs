using Pipeline.Eval.Results;

using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Results;

public sealed class ExampleFileTests
{
    [Fact]
    public void WriteRead_RoundTrip_KeepsEveryField()
    {
        using var dir = new TempDir();
        var path = dir.File("examples/in_domain.jsonl");
        var written = new ExampleResult
        {
            Id = "ex-1", Behavior = "answer", Prompt = "What is 83 - 6?", Response = "83 - 6 = 77.", Expected = "77",
            FinishReason = "stop", Confidence = 0.625, SourceLine = 12,
            Scores = new Dictionary<string, double> { ["correct"] = 1, ["response_tokens"] = 7 },
        };

        ExampleFile.Write(path, [written, new ExampleResult { Id = "ex-2" }]);
        var read = ExampleFile.Read(path);

        Assert.Equal(2, read.Count);
        Assert.Equal(written with { Scores = read[0].Scores }, read[0]);
        Assert.Equal(written.Scores, read[0].Scores);
        Assert.Equal(new ExampleResult { Id = "ex-2", Scores = read[1].Scores }, read[1]);
        Assert.Empty(read[1].Scores);
    }

    [Fact]
    public void Write_SourceLine_IsNamedLine()
    {
        using var dir = new TempDir();
        var path = dir.File("e.jsonl");

        ExampleFile.Write(path, [new ExampleResult { Id = "a", SourceLine = 3 }]);

        Assert.Contains("\"line\":3", File.ReadAllText(path));
    }

    [Fact]
    public void Read_MalformedLine_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("e.jsonl", ["{\"id\": \"a\", \"scores\": {\"correct\": 1}}", "", "{\"id\": \"b\", \"scores\": {\"correct\": }"]);

        var e = Assert.Throws<EvalFormatException>(() => ExampleFile.Read(path));

        Assert.StartsWith($"{path}:3:", e.Message);
    }

    [Fact]
    public void Read_LineWithoutId_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("e.jsonl", ["{\"scores\": {}}"]);

        var e = Assert.Throws<EvalFormatException>(() => ExampleFile.Read(path));

        Assert.StartsWith($"{path}:1:", e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<EvalFormatException>(() => ExampleFile.Read(dir.File("none.jsonl")));

        Assert.StartsWith(dir.File("none.jsonl") + ":", e.Message);
    }
}
