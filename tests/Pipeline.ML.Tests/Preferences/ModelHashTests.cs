using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tests.Tasks;

namespace Pipeline.ML.Tests.Preferences;

public sealed class ModelHashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ml-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SaveModel(string name, ulong seed)
    {
        var model = new LlamaModel(AdditionTask.Config);
        model.InitializeWeights(seed, std: 0.02);
        var dir = Path.Combine(_dir, name);
        LlamaCheckpoint.Save(model, dir);
        return dir;
    }

    [Fact]
    public void Compute_SameFilesAnywhere_SameHash_OtherFilesIgnored()
    {
        var a = SaveModel("a", 1);
        var b = SaveModel("b", 1);
        File.WriteAllText(Path.Combine(b, "trainer_state.json"), "{}");

        Assert.Equal(ModelHash.Compute(a), ModelHash.Compute(b));
        Assert.Matches("^sha256:[0-9a-f]{64}$", ModelHash.Compute(a));
    }

    [Fact]
    public void Compute_OtherWeightsOrAnAdapter_OtherHash()
    {
        var a = SaveModel("a", 1);
        var adapter = LoraAdapter.Create("x", new LoraConfig { R = 2, Targets = LoraTarget.All }, AdditionTask.Config, 3);
        PeftAdapterFormat.Save(adapter, Path.Combine(_dir, "adapter"));

        Assert.NotEqual(ModelHash.Compute(a), ModelHash.Compute(SaveModel("c", 2)));
        Assert.NotEqual(ModelHash.Compute(a), ModelHash.Compute(a, Path.Combine(_dir, "adapter")));
    }

    [Fact]
    public void Compute_MissingWeights_ModelFormatErrorNamingTheFile()
    {
        var a = SaveModel("a", 1);
        File.Delete(Path.Combine(a, LlamaCheckpoint.WeightsFile));

        var e = Assert.Throws<ModelFormatException>(() => ModelHash.Compute(a));
        Assert.Contains(LlamaCheckpoint.IndexFile, e.Message);
    }

    [Theory]
    [InlineData("abc", "abc", 1.0)]
    [InlineData("The  Answer\tis 5.", "the answer is 5.", 1.0)]
    [InlineData("83 - 6 = 77.", "83 - 6 = 67.", 11.0 / 12)]
    [InlineData("", "", 1.0)]
    [InlineData("abc", "", 0.0)]
    [InlineData("kitten", "sitting", 1 - 3.0 / 7)]
    public void TextSimilarity_NormalisedLevenshtein(string a, string b, double expected)
    {
        Assert.Equal(expected, TextSimilarity.Similarity(a, b), 12);
        Assert.Equal(expected >= 0.9, TextSimilarity.AtLeast(a, b, 0.9));
    }
}
