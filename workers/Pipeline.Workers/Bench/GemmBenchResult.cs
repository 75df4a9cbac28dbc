namespace Pipeline.Workers.Bench;

/// <summary>One shape's figures in GFLOP/s: median and best sample of ours and of OpenBLAS (null without the
/// reference), taken alternately in the same run.</summary>
public sealed record GemmBenchResult(GemmBenchShape Shape, double Ours, double OursBest, double? Blas, double? BlasBest)
{
    public double? Ratio => Blas is { } b ? Ours / b : null;
}
