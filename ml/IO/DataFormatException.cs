namespace Pipeline.ML.IO;

/// <summary>A data file (a batch, a dataset line) that cannot be used; the message names the file, the line or field, and what was expected.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
