export default function HandoffsPage() {
  return <h1 className="text-2xl font-semibold">Handoffs</h1>;
}
