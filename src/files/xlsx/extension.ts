/**
 * The file name's extension must agree with the workbook's content type: Excel refuses to open a
 * macro-enabled workbook (.xlsm content) named .xlsx, and a plain workbook named .xlsm.
 */
import { XlsxFormatError } from "./errors";

const EXTENSION_BY_TYPE: Record<string, string> = {
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ".xlsx",
  "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ".xlsm",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ".xltx",
  "application/vnd.ms-excel.template.macroEnabled.main+xml": ".xltm",
  "application/vnd.ms-excel.addin.macroEnabled.main+xml": ".xlam",
};

const KIND: Record<string, string> = {
  ".xlsx": "a workbook (.xlsx)",
  ".xlsm": "a macro-enabled workbook (.xlsm)",
  ".xltx": "a template (.xltx)",
  ".xltm": "a macro-enabled template (.xltm)",
  ".xlam": "an add-in (.xlam)",
};

/** The extension a workbook part of this content type needs, or undefined when the type is not one we know. */
function extensionFor(contentType: string | undefined): string | undefined {
  return contentType === undefined ? undefined : EXTENSION_BY_TYPE[contentType.trim()];
}

function extensionOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot < 0 ? "" : base.slice(dot).toLowerCase();
}

/**
 * Throws XlsxFormatError when `input` (the file read) or `output` (where the result goes) has an
 * extension that does not fit the workbook's content type.
 */
export function checkExtensions(
  input: string,
  output: string,
  contentType: string | undefined
): void {
  const want = extensionFor(contentType);
  if (want === undefined) return;
  const inExt = extensionOf(input);
  if (inExt !== want && inExt in KIND)
    throw new XlsxFormatError(
      input,
      `it holds ${KIND[want]} under a ${inExt} name, which Excel refuses to open (and would refuse the posted file too). ` +
        `Save it in Excel as an Excel Workbook (.xlsx), or give it the ${want} extension, and run again.`
    );
  const outExt = extensionOf(output);
  if (outExt !== want && outExt in KIND)
    throw new XlsxFormatError(
      input,
      `it is ${KIND[want]}, but the output ${output} is named ${outExt}: Excel would refuse to open it. Name the output ${want}.`
    );
}
