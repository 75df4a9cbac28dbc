using System.CommandLine;
using System.Globalization;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline events pending | flush`: the events this machine's outbox has not delivered yet, and delivering them.</summary>
public static class EventsCommands
{
    public static Command Create()
    {
        var events = new Command("events", "This machine's event outbox (Pipeline:Bus:OutboxPath)");
        events.Subcommands.Add(Pending());
        events.Subcommands.Add(Flush());
        return events;
    }

    private static Command Pending()
    {
        var json = CliOptions.Json();
        var cmd = new Command("pending", "Events accepted but not yet delivered, oldest first") { json };
        cmd.SetAction(async (p, ct) =>
        {
            var (outbox, _) = Open(p);
            var rows = await outbox.PendingAsync(int.MaxValue, ct);
            if (p.GetValue(json))
            {
                CliOutput.PrintJson(rows);
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("SEQ", "TYPE", "MESSAGE ID", "FAILED ATTEMPTS");
            foreach (var r in rows)
            {
                table.AddTextRow(r.Sequence.ToString(CultureInfo.InvariantCulture), r.TypeName.Split(',')[0], r.MessageId.ToString(), r.Attempts.ToString(CultureInfo.InvariantCulture));
            }
            CliOutput.Render(table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Flush()
    {
        var wait = new Option<int>("--wait") { Description = "Seconds to keep trying while the broker is down", DefaultValueFactory = _ => 30, HelpName = "S" };
        var cmd = new Command("flush", "Deliver pending events to RabbitMQ now, in order; exit 1 if some are still pending") { wait };
        cmd.SetAction(async (p, ct) =>
        {
            var (outbox, settings) = Open(p);
            if (settings.Bus.Transport != BusTransport.RabbitMq)
                throw new UsageException("Pipeline:Bus:Transport is InMemory: that bus lives inside `pipeline server`, which delivers this outbox itself");
            var (delivered, pending) = await OutboxFlush.DeliverAsync(outbox, settings.Bus, TimeSpan.FromSeconds(Math.Max(0, p.GetValue(wait))), ct);
            Console.Error.WriteLine($"{delivered} event(s) delivered, {pending} pending");
            return pending == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }

    private static (SqliteEventOutbox Outbox, PipelineSettings Settings) Open(ParseResult p)
    {
        var settings = CliConfig.Load(p, PipelineComponents.Bus).Settings;
        if (settings.Bus.OutboxPath is not { Length: > 0 } path) throw new UsageException("Pipeline:Bus:OutboxPath is empty: there is no outbox");
        return (new SqliteEventOutbox(Path.GetFullPath(path)), settings);
    }
}
