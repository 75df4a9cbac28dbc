using System.Text.Json.Nodes;
using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Models;

namespace Pipeline.ML.Tests.Rewards;

public sealed class RewardCheckpointTests : IDisposable
{
    private static readonly int[][] Rows = [[5, 9, 2, 17], [7, 1], [3, 3, 8, 11, 6, 20]];
    private readonly string _dir = TinyModels.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveLoad_RoundTrip_SameRewardsAndHfLayout()
    {
        var model = RewardFixtures.Model();
        model.PadTokenId = 0;
        RewardCheckpoint.Save(model, _dir);

        var loaded = RewardCheckpoint.Load(_dir);

        Assert.Equal(model.Score(Rows), loaded.Score(Rows));
        Assert.Equal(0, loaded.PadTokenId);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;
        Assert.Equal("LlamaForSequenceClassification", config["architectures"]![0]!.GetValue<string>());
        Assert.Equal("LABEL_0", config["id2label"]!["0"]!.GetValue<string>());
        using var st = SafeTensorsFile.Open(Path.Combine(_dir, "model.safetensors"));
        Assert.Equal([1L, 16], st.Tensors["score.weight"].Shape);
        Assert.DoesNotContain("lm_head.weight", st.Tensors.Keys);
    }

    [Fact]
    public void FromCausalLm_KeepsTheBackboneDropsLmHeadAndInitialisesTheHead()
    {
        var lm = TinyModels.Model(seed: 7);
        LlamaCheckpoint.Save(lm, _dir);

        var model = RewardCheckpoint.FromCausalLm(_dir, seed: 1);

        foreach (var (ours, theirs) in model.Backbone.BaseParameters.Zip(lm.BaseParameters.Where(p => p.Name != "lm_head.weight")))
        {
            Assert.Equal(theirs.Name, ours.Name);
            Assert.True(ours.Value.Span.SequenceEqual(theirs.Value.Span), ours.Name);
        }
        var head = model.Head.Value.Span.ToArray();
        Assert.Contains(head, w => w != 0);
        Assert.All(head, w => Assert.True(Math.Abs(w) < 0.1f, $"head weight {w} is not from normal(0, 0.02)"));
        Assert.False(model.Config.TieWordEmbeddings);
    }

    [Fact]
    public void Load_CausalLmCheckpoint_IsRefusedWithTheWayOut()
    {
        LlamaCheckpoint.Save(TinyModels.Model(), _dir);

        var e = Assert.Throws<ModelFormatException>(() => RewardCheckpoint.Load(_dir));

        Assert.Contains("FromCausalLm", e.Message);
    }

    [Fact]
    public void Adapter_SavedWithTheHead_LoadsBackToTheSameRewards()
    {
        var model = RewardFixtures.Model();
        var adapter = LoraAdapter.Create("rm", new LoraConfig { R = 2, Alpha = 4, Targets = LoraTarget.QProj | LoraTarget.VProj }, model.Backbone.Config, 3);
        foreach (var w in adapter.Weights.Values)
        {
            w.B.Value.Span.Fill(0.1f); // non-zero B: the adapter changes the rewards
        }
        model.Backbone.AddAdapter(adapter);
        model.Backbone.SetActiveAdapter("rm");
        var adapterDir = Path.Combine(_dir, "adapter");
        RewardCheckpoint.SaveAdapter(model, adapterDir);

        var fresh = RewardFixtures.Model();
        fresh.InitializeHead(seed: 999);
        RewardCheckpoint.LoadAdapter(fresh, adapterDir);

        Assert.Equal(model.Score(Rows), fresh.Score(Rows));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterDir, "adapter_config.json")))!;
        Assert.Equal("SEQ_CLS", config["task_type"]!.GetValue<string>());
        Assert.Equal("score", config["modules_to_save"]![0]!.GetValue<string>());
        using var st = SafeTensorsFile.Open(Path.Combine(adapterDir, "adapter_model.safetensors"));
        Assert.Contains("base_model.model.score.weight", st.Tensors.Keys);
        // A causal-LM adapter load has no place for the head: refused by name.
        var e = Assert.Throws<ModelFormatException>(() => PeftAdapterFormat.Load(adapterDir, "x", fresh.Backbone.Config));
        Assert.Contains("modules_to_save", e.Message);
    }
}
