namespace Pipeline.Eval.Contamination;

/// <summary>Which texts of a row are read: all of a training row's, only an eval row's question.</summary>
internal enum DatasetSide
{
    Train,
    Eval,
}
