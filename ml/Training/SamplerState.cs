namespace Pipeline.ML.Training;

/// <summary>The data position of an <see cref="IndexSampler"/>, as saved in a checkpoint.</summary>
public sealed record SamplerState(int Epoch, int Cursor, ulong[] Rng, int[] Order);
