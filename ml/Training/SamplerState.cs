namespace Pipeline.ML.Training;

/// <summary>The data position of a <see cref="RowSampler"/>, as saved in a checkpoint.</summary>
public sealed record SamplerState(int Epoch, int Cursor, ulong[] Rng, int[] Order);
