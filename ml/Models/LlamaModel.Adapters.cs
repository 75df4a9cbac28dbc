using Pipeline.ML.Kernels;
using Pipeline.ML.Lora;

namespace Pipeline.ML.Models;

public sealed partial class LlamaModel
{
    private readonly Dictionary<string, LoraAdapter> _adapters = new(StringComparer.Ordinal);

    /// <summary>Adapters loaded over this base, by name (PEFT's multi-adapter model).</summary>
    public IReadOnlyDictionary<string, LoraAdapter> Adapters => _adapters;

    /// <summary>The adapter the forward pass applies, or null for the base model alone.</summary>
    public LoraAdapter? ActiveAdapter { get; private set; }

    /// <summary>Adds an adapter (not activated). Its shapes must fit this model; names are unique.</summary>
    public void AddAdapter(LoraAdapter adapter)
    {
        if (_adapters.ContainsKey(adapter.Name))
        {
            throw new ArgumentException($"an adapter named '{adapter.Name}' is already loaded");
        }
        foreach (var ((layer, target), w) in adapter.Weights)
        {
            if (layer >= Layers.Length)
            {
                throw new ArgumentException($"adapter '{adapter.Name}' adapts layer {layer} but the model has {Layers.Length} layers");
            }
            var p = Layers[layer].Projection(target);
            if (w.A.Value.Dim(1) != p.InFeatures || w.B.Value.Dim(0) != p.OutFeatures || w.B.Value.Dim(1) != w.Rank)
            {
                throw new ArgumentException(
                    $"adapter '{adapter.Name}': {w.A.Name} {w.A.Value.ShapeText} / {w.B.Name} {w.B.Value.ShapeText} do not fit " +
                    $"{p.Name} [{p.OutFeatures}, {p.InFeatures}]");
            }
        }
        _adapters.Add(adapter.Name, adapter);
    }

    /// <summary>Switches the adapter the forward pass uses (null: the base alone) without touching the base weights.</summary>
    public void SetActiveAdapter(string? name)
    {
        if (ActiveAdapter is { Merged: true } merged && merged.Name != name)
        {
            throw new InvalidOperationException($"adapter '{merged.Name}' is merged into the base weights; unmerge it before switching");
        }
        LoraAdapter? next = null;
        if (name is not null && !_adapters.TryGetValue(name, out next))
        {
            throw new ArgumentException($"no adapter named '{name}' (loaded: {string.Join(", ", _adapters.Keys)})");
        }
        ActiveAdapter = next;
        AttachActive();
    }

    /// <summary>Folds the active adapter into the base weights: W += (α/r)·B·A. The forward pass then runs at base cost.</summary>
    public void MergeAdapter()
    {
        var adapter = ActiveAdapter ?? throw new InvalidOperationException("no active adapter to merge");
        if (adapter.Merged)
        {
            throw new InvalidOperationException($"adapter '{adapter.Name}' is already merged");
        }
        ThrowIfMergingIntoNf4(adapter);
        ApplyDelta(adapter, +1f);
        adapter.Merged = true;
        AttachActive();
    }

    /// <summary>Subtracts a merged adapter back out of the base weights (exact up to float rounding, as PEFT's unmerge).</summary>
    public void UnmergeAdapter()
    {
        var adapter = ActiveAdapter ?? throw new InvalidOperationException("no active adapter to unmerge");
        if (!adapter.Merged)
        {
            throw new InvalidOperationException($"adapter '{adapter.Name}' is not merged");
        }
        ApplyDelta(adapter, -1f);
        adapter.Merged = false;
        AttachActive();
    }

    private void AttachActive()
    {
        foreach (var p in Layers.SelectMany(l => l.Projections))
        {
            p.Lora = null;
        }
        if (ActiveAdapter is not { Merged: false } active)
        {
            return;
        }
        foreach (var ((layer, target), w) in active.Weights)
        {
            Layers[layer].Projection(target).Lora = w;
        }
    }

    // W (Out, In) += sign·s·B (Out, r)·A (r, In). Not a training-step path, so it runs on the host directly.
    private void ApplyDelta(LoraAdapter adapter, float sign)
    {
        foreach (var ((layer, target), w) in adapter.Weights)
        {
            var weight = Layers[layer].Projection(target).Weight.Value;
            var delta = new float[weight.Length];
            Gemm.Multiply<float>(false, false, weight.Dim(0), weight.Dim(1), w.Rank,
                w.B.Value.Span, w.Rank, w.A.Value.Span, weight.Dim(1), delta, weight.Dim(1), accumulate: false);
            var span = weight.Span;
            var scale = sign * w.Scale;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] += scale * delta[i];
            }
        }
    }
}
