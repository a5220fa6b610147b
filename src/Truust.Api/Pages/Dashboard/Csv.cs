namespace Truust.Api.Pages.Dashboard;

/// <summary>
/// RFC 4180 CSV, written by hand because it is this small: fields with a comma, a quote or a line break are
/// quoted with inner quotes doubled, and lines end with CRLF. A text that a spreadsheet would run as a formula
/// (starting with =, +, -, @, tab or CR) gets a leading apostrophe: an order name typed by a buyer must never run in
/// the operator's spreadsheet (CSV injection).
/// </summary>
public static class Csv
{
    public static string Line(params string?[] fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
