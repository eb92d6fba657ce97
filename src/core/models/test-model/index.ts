export { writeTestModel, type TestModelFile, type TestModelPreset, type WriteTestModelOptions } from './write-test-model';
