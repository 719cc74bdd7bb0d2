export default function PolicyPage() {
  return <h1 className="text-2xl font-semibold">Policy decisions</h1>;
}
