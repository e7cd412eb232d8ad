/** Installs the Office stub and the fake Excel before the add-in's modules load (imported first). */
import { WorkbookModel } from "../fake/model";
import { installOfficeStub } from "../fake/officeStub";

export const stub = installOfficeStub(new WorkbookModel());
