export default function GrantDetail() {
  return null;
}
