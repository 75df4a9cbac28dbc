namespace Pipeline.Eval.Contamination;

/// <summary>A contaminated eval example as the report quotes it: where it is, what share of its n-grams training
/// holds, where training first holds one of them, and the overlapping words (normalized).</summary>
public sealed record ContaminationMatch(string EvalId, int EvalLine, double Overlap, string TrainFile, int TrainLine, string Text);
