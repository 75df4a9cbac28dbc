using Pipeline.ML.IO;

namespace Pipeline.ML.Models;

/// <summary>
/// One forward and backward pass on a batch, written as safetensors for comparison with another implementation:
/// logits (B, T, V), loss [] and grad/NAME for every trainable parameter. With an adapter active only the adapter
/// learns (base frozen, PEFT's default); without, every base weight does (full fine-tuning).
/// </summary>
public static class GradientReport
{
    public static SafeTensorsWriter Compute(LlamaModel model, TokenBatch batch)
    {
        if (model.ActiveAdapter is { } adapter)
        {
            model.SetBaseTrainable(false);
            adapter.SetTrainable(true);
        }
        else
        {
            model.SetBaseTrainable(true);
        }
        var acts = model.CreateActivations(batch.Batch, batch.SeqLen);
        model.ZeroGrad();
        model.Forward(batch, acts);
        var stats = model.Loss(batch, acts);
        model.Backward(batch, acts);

        var writer = new SafeTensorsWriter();
        writer.Add("logits", acts.Logits.Array, [batch.Batch, batch.SeqLen, model.Config.VocabSize]);
        writer.Add("loss", [stats.Count > 0 ? (float)(stats.LossSum / stats.Count) : 0f], []);
        foreach (var p in model.TrainableParameters)
        {
            writer.Add("grad/" + p.Name, p.Grad!.Array, p.Grad.Shape.Select(d => (long)d).ToArray());
        }
        return writer;
    }
}
