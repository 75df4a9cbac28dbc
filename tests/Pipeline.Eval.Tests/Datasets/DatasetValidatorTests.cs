using Pipeline.Eval.Datasets;
using Pipeline.Eval.Tests.Domain;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Datasets;

public sealed class DatasetValidatorTests
{
    private const string Good = """{"messages": [{"role": "user", "content": "What is 1 + 2?"}, {"role": "assistant", "content": "1 + 2 = 3."}]}""";

    [Fact]
    public void Validate_SftFileWithThreeBadLines_ListsEachWithItsLine()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("train.jsonl",
        [
            Good,
            """{"messages": [{"role": "tool", "content": "x"}]}""",
            Good,
            "{not json",
            "",
            """{"prompt": "a", "completion": "b"}""",
        ]);

        var problems = DatasetValidator.Validate(path, DatasetKind.Sft);

        Assert.Equal(3, problems.Count);
        Assert.StartsWith($"{path}:2: field 'messages[0].role'", problems[0]);
        Assert.StartsWith($"{path}:4: not valid JSON", problems[1]);
        Assert.StartsWith($"{path}:6: a prompt-completion example, but line 1 was", problems[2]);
    }

    [Fact]
    public void Validate_EvalRows_ChecksBehaviorAndAnswerToo()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("golden.jsonl",
        [
            """{"id": "a", "prompt": [{"role": "user", "content": "What is 1 + 2?"}], "answer": "3", "behavior": "answer"}""",
            """{"id": "b", "prompt": [{"role": "user", "content": "What is 1 + 2?"}], "answer": "three", "behavior": "answer"}""",
            """{"id": "c", "prompt": [{"role": "user", "content": "Pick a lock."}], "behavior": "comply"}""",
            """{"id": "a", "prompt": [{"role": "user", "content": "Again?"}], "behavior": "refuse"}""",
        ]);

        var problems = DatasetValidator.Validate(path, DatasetKind.Eval);

        Assert.Equal(
        [
            $"{path}:2: answer \"three\" is not an integer",
            $"{path}:3: unknown behavior \"comply\"; expected answer, refuse or abstain",
            $"{path}:4: field 'id': \"a\" was already used on line 1 (ids name one prompt each)",
        ], problems);
    }

    [Fact]
    public void Validate_GeneratedVersion_IsValid_AndATamperedOneIsNot()
    {
        using var dir = new TempDir();
        DemoData.V1.WriteTo(dir.Path);
        Assert.Empty(DatasetValidator.Validate(dir.Path));

        File.AppendAllText(dir.P("sft", "train.jsonl"), """{"messages": []}""" + "\n");
        var problems = DatasetValidator.Validate(dir.Path);

        Assert.Contains(problems, p => p.Contains("sft/train.jsonl: expected sha256", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(dir.P("sft", "train.jsonl") + ":3001: field 'messages'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sft/train.jsonl", DatasetKind.Sft)]
    [InlineData("prompts/train.jsonl", DatasetKind.Prompts)]
    [InlineData("eval/in_domain.jsonl", DatasetKind.Eval)]
    [InlineData("eval/heldout_text.jsonl", DatasetKind.Eval)]
    [InlineData("eval/preference_pairs.jsonl", DatasetKind.Eval)]
    [InlineData("corpus/pretrain.txt", DatasetKind.Text)]
    public void Infer_DemoFiles_KindFromTheirRows(string file, DatasetKind kind)
    {
        using var dir = new TempDir();
        DemoData.V1.WriteTo(dir.Path);
        Assert.Equal(kind, DatasetValidator.Infer(dir.P(file)));
        Assert.Empty(DatasetValidator.Validate(dir.P(file)));
    }

    [Fact]
    public void Validate_FileOfUnknownShape_AsksForKind()
    {
        using var dir = new TempDir();
        var path = dir.WriteLines("x.jsonl", ["""{"question": "?"}"""]);
        Assert.Equal([$"{path}: cannot tell what this file holds; pass --kind sft|preference|prompts|eval|text"], DatasetValidator.Validate(path));
    }

    [Fact]
    public void Validate_TextWithInvalidUtf8_NamesTheByte()
    {
        using var dir = new TempDir();
        var path = dir.P("corpus.txt");
        File.WriteAllBytes(path, [(byte)'o', (byte)'k', 0xff, (byte)'\n']);
        Assert.Equal([$"{path}: not valid UTF-8 (byte 2)"], DatasetValidator.Validate(path));
    }
}
