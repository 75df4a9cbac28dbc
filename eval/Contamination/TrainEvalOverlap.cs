namespace Pipeline.Eval.Contamination;

/// <summary>How many examples of one eval file one training file contaminates on its own.</summary>
public sealed record TrainEvalOverlap(string TrainFile, string EvalFile, int Contaminated);
