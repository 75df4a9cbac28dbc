using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Pipeline.Durable;
using Pipeline.Infra.Configuration;

namespace Pipeline.Workers.Cli;

/// <summary>Turns parse errors and exceptions into one line on stderr and an exit code. The stack trace is
/// printed only with PIPELINE_DEBUG=1: users should read what to fix, not where the CLI noticed it.</summary>
public static class CliErrors
{
    public static bool Debug => Environment.GetEnvironmentVariable("PIPELINE_DEBUG") is "1" or "true";

    public static int ReportParseErrors(ParseResult parse)
    {
        foreach (var error in parse.Errors) Console.Error.WriteLine($"pipeline: {OneLine(error.Message)}");
        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent) path.Insert(0, c.Command.Name);
        Console.Error.WriteLine($"Try '{string.Join(' ', path)} --help'.");
        return ExitCodes.Usage;
    }

    public static int Report(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerException!;
        if (e is OptionsValidationException ov) e = new PipelineConfigurationException(ov.Failures.Select(f => new ConfigurationProblem("Pipeline", f)).ToList());
        if (e is PipelineConfigurationException config)
        {
            // One problem per line: a configuration is usually wrong in several places at once.
            Console.Error.WriteLine("pipeline: invalid configuration:");
            foreach (var problem in config.Problems) Console.Error.WriteLine($"  {problem}");
            return ExitCodes.Usage;
        }
        var (code, message) = e switch
        {
            UsageException => (ExitCodes.Usage, e.Message),
            // The engine's own words for an unknown id ("No workflow with id 'x' in sqlite:/...") and refused starts.
            KeyNotFoundException or WorkflowAlreadyStartedException => (ExitCodes.Usage, e.Message),
            DbException or SocketException => (ExitCodes.Usage, $"store error: {e.Message}"),
            // Bad input files: the message already names the file, field or tensor and what was expected.
            Pipeline.ML.Models.ModelFormatException or Pipeline.ML.IO.SafeTensorsFormatException
                or Pipeline.ML.IO.DataFormatException or Pipeline.ML.Tokenization.TokenizerFormatException
                or Pipeline.Eval.EvalFormatException => (ExitCodes.Usage, e.Message),
            // A gate that cannot be decided (missing metric, no baseline for a relative rule) is an input error, never a pass.
            Pipeline.Eval.Gates.GateException => (ExitCodes.Usage, e.Message),
            WorkflowFailedException => (ExitCodes.Failed, e.Message),
            _ => (ExitCodes.Failed, $"error: {e.GetType().Name}: {e.Message}"),
        };
        Console.Error.WriteLine($"pipeline: {OneLine(message)}");
        if (Debug) Console.Error.WriteLine(e);
        else if (code == ExitCodes.Failed && e is not WorkflowFailedException)
            Console.Error.WriteLine("(set PIPELINE_DEBUG=1 for the stack trace)");
        return code;
    }

    private static string OneLine(string s) => string.Join(' ', s.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
