import * as engine from "../src/engine";
test("engine module loads", () => {
  expect(typeof engine).toBe("object");
});
