// The shapes of a review drawing (docs/review-api.md, "Comments": stroke, arrow, rect,
// ellipse, text, in coordinates normalised to the picture), drawn on a 2D canvas of any
// size, and the simplification that keeps a pen stroke within the points a drawing may
// hold. Pure: no DOM beyond the context given, so the printable report can draw with it too.

/** `#rrggbb`, as the server takes colours. */
export const COLOUR_RE = /^#[0-9a-fA-F]{6}$/;

/**
 * Draws `shapes` (normalised) on a canvas `w`×`h` device pixels; `alpha` fades them,
 * `halo` outlines them in white (the note selected). Kinds it does not know, and shapes
 * missing their fields, are skipped.
 */
export function drawShapes(ctx, shapes, { w, h, dpr = 1 }, { alpha = 1, halo = false } = {}) {
  ctx.save();
  ctx.globalAlpha = alpha;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const shape of shapes) {
    ctx.save();
    try {
      if (halo) {
        ctx.shadowColor = 'rgb(255 255 255 / 0.95)';
        ctx.shadowBlur = 6 * dpr;
        drawShape(ctx, shape, w, h, dpr);
        ctx.shadowColor = 'transparent';
        ctx.shadowBlur = 0;
      }
      drawShape(ctx, shape, w, h, dpr);
    } catch {
      // A malformed shape (from an older or foreign export) is skipped; the others are drawn.
    } finally {
      ctx.restore();
    }
  }
  ctx.restore();
}

function drawShape(ctx, shape, w, h, dpr) {
  const color = COLOUR_RE.test(shape.color) ? shape.color : '#ff3b30';
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = Math.max(1, (Number(shape.width) || 0.004) * w);
  const X = (v) => v * w;
  const Y = (v) => v * h;
  switch (shape.kind) {
    case 'stroke': {
      const pts = shape.points ?? [];
      if (pts.length === 1) {
        ctx.beginPath();
        ctx.arc(X(pts[0][0]), Y(pts[0][1]), ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
        break;
      }
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
      ctx.stroke();
      break;
    }
    case 'arrow': {
      const [x0, y0] = [X(shape.from[0]), Y(shape.from[1])];
      const [x1, y1] = [X(shape.to[0]), Y(shape.to[1])];
      const angle = Math.atan2(y1 - y0, x1 - x0);
      const head = Math.min(Math.max(ctx.lineWidth * 4, 10 * dpr), Math.hypot(x1 - x0, y1 - y0) * 0.6);
      // The shaft stops short of the tip, so a thick line does not blunt the head.
      const shaft = Math.max(0, Math.hypot(x1 - x0, y1 - y0) - head * 0.6);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x0 + Math.cos(angle) * shaft, y0 + Math.sin(angle) * shaft);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(angle - Math.PI / 7), y1 - head * Math.sin(angle - Math.PI / 7));
      ctx.lineTo(x1 - head * Math.cos(angle + Math.PI / 7), y1 - head * Math.sin(angle + Math.PI / 7));
      ctx.closePath();
      ctx.fill();
      break;
    }
    case 'rect':
      ctx.strokeRect(X(shape.x), Y(shape.y), X(shape.w), Y(shape.h));
      break;
    case 'ellipse':
      ctx.beginPath();
      ctx.ellipse(X(shape.x + shape.w / 2), Y(shape.y + shape.h / 2), X(shape.w) / 2, Y(shape.h) / 2, 0, 0, 2 * Math.PI);
      ctx.stroke();
      break;
    case 'text': {
      const size = Math.max(4, (Number(shape.size) || 0.04) * w);
      ctx.font = `600 ${size}px "Manju Sans", system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      // A dark outline keeps the words readable on a light picture.
      ctx.lineWidth = Math.max(1, size / 8);
      ctx.strokeStyle = 'rgb(0 0 0 / 0.7)';
      ctx.strokeText(String(shape.text ?? ''), X(shape.at[0]), Y(shape.at[1]));
      ctx.fillText(String(shape.text ?? ''), X(shape.at[0]), Y(shape.at[1]));
      break;
    }
    default:
  }
}

/**
 * Ramer–Douglas–Peucker on `points` ([x, y] in pixels): the indices of the points to keep
 * so that no dropped point is farther than `tolerance` from the line kept. Iterative, so a
 * long stroke cannot overflow the stack.
 */
export function simplify(points, tolerance) {
  const n = points.length;
  if (n <= 2) return points.map((_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = [[0, n - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    const [ax, ay] = points[first];
    const [bx, by] = points[last];
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.hypot(dx, dy);
    let far = -1;
    let farthest = tolerance;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = points[i];
      const d = length > 0 ? Math.abs(dy * px - dx * py + bx * ay - by * ax) / length : Math.hypot(px - ax, py - ay);
      if (d > farthest) {
        farthest = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([first, far], [far, last]);
    }
  }
  const kept = [];
  keep.forEach((k, i) => k && kept.push(i));
  return kept;
}
