namespace Pipeline.ML.Models;

/// <summary>A model or adapter directory that cannot be used: the message names the file, the field or tensor, and what was expected.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
