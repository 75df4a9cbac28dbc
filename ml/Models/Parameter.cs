using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// A named weight (HF name for base weights, PEFT name for adapter weights) and, when it is being trained, its
/// gradient. Freezing a parameter drops its gradient, so backward skips that weight-gradient product entirely.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Tensor value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public Tensor Value { get; }

    /// <summary>Same shape as <see cref="Value"/>; null while the parameter is frozen.</summary>
    public Tensor? Grad { get; private set; }

    public bool Trainable => Grad is not null;

    public void SetTrainable(bool trainable) =>
        Grad = trainable ? Grad ?? new Tensor(Value.Shape) : null;

    public override string ToString() => $"{Name} {Value.ShapeText}{(Trainable ? "" : " (frozen)")}";
}
